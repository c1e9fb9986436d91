// rawbytes: accepted and ignored, as Suricata does (no telnet normalisation).
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_rawbytes{
    "rawbytes", "accepted for Snort compatibility; has no effect", kKwModifier,
    [](const rules::RuleOption&, RuleBuild&, std::string&) { return true; }};

}  // namespace nsm4::detect
