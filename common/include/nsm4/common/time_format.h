#pragma once
#include <cstdint>
#include <string>

namespace nsm4 {

// "2024-03-01T12:00:00.123456+0000", the EVE timestamp format (always UTC).
void append_eve_timestamp(std::string& out, int64_t sec, int32_t usec);

}  // namespace nsm4
