// isdataat: the buffer has data at a position ([!]N[,relative]).
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_isdataat{
    "isdataat", "data exists at N (or N bytes after the previous match with relative)", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      auto op = std::make_shared<IsDataAtOp>();
      auto parts = split(o.value, ',');
      std::string_view first = parts[0];
      if (!first.empty() && first[0] == '!') {
        op->negated = true;
        first.remove_prefix(1);
      }
      if (!rb.int_or_var(first, op->at, 0, 65535, err)) return false;
      for (size_t i = 1; i < parts.size(); ++i) {
        if (parts[i] == "relative") {
          op->relative = true;
        } else if (parts[i] != "rawbytes") {
          err = "unknown isdataat option '" + std::string(parts[i]) + "'";
          return false;
        }
      }
      rb.add_op(std::move(op));
      return true;
    }};

}  // namespace nsm4::detect
