// threshold: limit alerting (type limit|threshold|both|backoff, track
// by_src|by_dst|by_rule|by_both|by_flow, count N, seconds M).
#include "detect/threshold_parse.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_threshold{
    "threshold", "limit alerts: type limit|threshold|both|backoff, track by_..., count, seconds", 0,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      if (rb.has_threshold && !rb.validating) {
        err = "only one threshold per rule";
        return false;
      }
      rb.has_threshold = true;
      return parse_threshold(o.value, false, rb.threshold, err);
    }};

}  // namespace nsm4::detect
