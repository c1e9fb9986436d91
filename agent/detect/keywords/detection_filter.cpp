// detection_filter: alert only after N matches within M seconds (track by_...,
// count N, seconds M [, unique_on src_port|dst_port]).
#include "detect/threshold_parse.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_detection_filter{
    "detection_filter",
    "alert once a rule matched more than count times in seconds (per track key; unique_on "
    "counts distinct ports)",
    0, [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      if (rb.has_detection_filter && !rb.validating) {
        err = "only one detection_filter per rule";
        return false;
      }
      rb.has_detection_filter = true;
      return parse_threshold(o.value, true, rb.detection_filter, err);
    }};

}  // namespace nsm4::detect
