#include "detect/threshold_parse.h"

#include "detect/parse_util.h"

namespace nsm4::detect {

bool parse_threshold(std::string_view text, bool detection_filter, ThresholdSpec& out,
                     std::string& err) {
  bool have_type = detection_filter, have_track = false, have_count = false, have_seconds = false;
  out.type = detection_filter ? ThresholdSpec::kDetectionFilter : ThresholdSpec::kLimit;
  for (std::string_view part : split(text, ',')) {
    size_t sp = part.find_first_of(" \t");
    std::string_view k = part.substr(0, sp);
    std::string_view v = sp == std::string_view::npos ? std::string_view() : trim(part.substr(sp));
    uint64_t n = 0;
    if (k == "type" && !detection_filter) {
      if (v == "limit") {
        out.type = ThresholdSpec::kLimit;
      } else if (v == "threshold") {
        out.type = ThresholdSpec::kThreshold;
      } else if (v == "both") {
        out.type = ThresholdSpec::kBoth;
      } else if (v == "backoff") {
        out.type = ThresholdSpec::kBackoff;
      } else {
        err = "type must be limit, threshold, both or backoff";
        return false;
      }
      have_type = true;
    } else if (k == "track") {
      if (v == "by_src") {
        out.track = ThresholdSpec::kBySrc;
      } else if (v == "by_dst") {
        out.track = ThresholdSpec::kByDst;
      } else if (v == "by_rule") {
        out.track = ThresholdSpec::kByRule;
      } else if (v == "by_both") {
        out.track = ThresholdSpec::kByBoth;
      } else if (v == "by_flow") {
        out.track = ThresholdSpec::kByFlow;
      } else {
        err = "track must be by_src, by_dst, by_rule, by_both or by_flow";
        return false;
      }
      have_track = true;
    } else if (k == "count" && parse_uint(v, n) && n <= 0xffffffffu) {
      out.count = static_cast<uint32_t>(n);
      have_count = true;
    } else if (k == "seconds" && parse_uint(v, n) && n <= 0xffffffffu) {
      out.seconds = static_cast<uint32_t>(n);
      have_seconds = true;
    } else if (k == "multiplier" && parse_uint(v, n) && n > 0 && n <= 0xffffffffu) {
      out.multiplier = static_cast<uint32_t>(n);
    } else if (k == "unique_on" && detection_filter) {
      if (v == "src_port") {
        out.unique = ThresholdSpec::kSrcPort;
      } else if (v == "dst_port") {
        out.unique = ThresholdSpec::kDstPort;
      } else {
        err = "unique_on must be src_port or dst_port";
        return false;
      }
    } else {
      err = "unexpected '" + std::string(part) + "'";
      return false;
    }
  }
  if (out.type == ThresholdSpec::kBackoff) have_seconds = true;
  if (!have_type || !have_track || !have_count || !have_seconds) {
    err = detection_filter ? "needs track, count and seconds"
                           : "needs type, track, count and seconds";
    return false;
  }
  if (out.type != ThresholdSpec::kDetectionFilter && out.count == 0) {
    err = "count must be at least 1";
    return false;
  }
  return true;
}

}  // namespace nsm4::detect
