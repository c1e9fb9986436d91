#pragma once
#include <string>
#include <string_view>

#include "detect/keyword.h"

namespace nsm4::detect {

// "type limit, track by_src, count 1, seconds 60" and detection_filter's
// "track by_src, count 5, seconds 60, unique_on src_port".
bool parse_threshold(std::string_view text, bool detection_filter, ThresholdSpec& out,
                     std::string& err);

}  // namespace nsm4::detect
