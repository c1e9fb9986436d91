// rev: decoded by the rule parser into Rule; the engine copies it into the alert.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_rev{
    "rev", "the rule's revision", kKwMeta,
    [](const rules::RuleOption&, RuleBuild&, std::string&) { return true; }};

}  // namespace nsm4::detect
