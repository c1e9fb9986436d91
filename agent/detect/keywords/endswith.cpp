// endswith: the previous content ends at the end of the buffer.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_endswith{
    "endswith", "the previous content ends at the end of the buffer", kKwModifier,
    [](const rules::RuleOption&, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("endswith", err);
      if (!c) return false;
      c->endswith = true;
      return true;
    }};

}  // namespace nsm4::detect
