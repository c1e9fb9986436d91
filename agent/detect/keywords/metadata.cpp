// metadata: decoded by the rule parser into Rule; the engine copies it into the alert.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_metadata{
    "metadata", "key value pairs logged in alert.metadata", kKwMeta,
    [](const rules::RuleOption&, RuleBuild&, std::string&) { return true; }};

}  // namespace nsm4::detect
