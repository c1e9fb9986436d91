// priority: decoded by the rule parser into Rule; the engine copies it into the alert.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_priority{
    "priority", "the severity (1 highest), overrides the classtype's", kKwMeta,
    [](const rules::RuleOption&, RuleBuild&, std::string&) { return true; }};

}  // namespace nsm4::detect
