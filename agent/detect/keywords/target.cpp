// target: decoded by the rule parser into Rule; the engine copies it into the alert.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_target{
    "target", "which side is the target (src_ip or dest_ip)", kKwMeta,
    [](const rules::RuleOption&, RuleBuild&, std::string&) { return true; }};

}  // namespace nsm4::detect
