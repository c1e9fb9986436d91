// noalert: the rule's other effects (flowbits) happen, no alert is written.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_noalert{"noalert",
                                         "match without writing an alert (for flowbits setters)", 0,
                                         [](const rules::RuleOption&, RuleBuild& rb, std::string&) {
                                           rb.noalert = true;
                                           return true;
                                         }};

}  // namespace nsm4::detect
