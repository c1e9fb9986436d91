// nocase: the previous content matches regardless of ASCII case.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_nocase{
    "nocase", "the previous content ignores ASCII case", kKwModifier,
    [](const rules::RuleOption&, RuleBuild& rb, std::string& err) {
      ContentOp* c = rb.content_for("nocase", err);
      if (!c) return false;
      c->nocase = true;
      return true;
    }};

}  // namespace nsm4::detect
