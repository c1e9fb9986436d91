#pragma once
// Protocol detection for HTTP/1.x: does a direction's first data look like a
// request (a known method and a space) or a response ("HTTP/")?
#include <cstdint>
#include <span>
#include <string_view>

#include "app/app_proto.h"

namespace nsm4::app::http {

Probe probe(Dir dir, std::span<const uint8_t> data);

// A method libhtp knows (GET, POST, PROPFIND ...), case-sensitive.
bool is_known_method(std::string_view token);

}  // namespace nsm4::app::http
