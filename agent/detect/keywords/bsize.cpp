// bsize: the size of the current buffer (N, <N, >N, N<>M ...).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_bsize{
    "bsize", "the current buffer's size compares to N (=, <, >, <=, >=, !, N<>M)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      auto op = std::make_shared<BsizeOp>();
      if (!parse_uint_cmp(o.value, 0xffffffffu, op->cmp, err)) return false;
      rb.add_op(std::move(op));
      return true;
    }};

}  // namespace nsm4::detect
