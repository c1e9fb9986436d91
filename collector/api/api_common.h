#pragma once
// What the query API's handlers share: the optional API token, parameter
// checks and time formats.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/collector_services.h"
#include "http/http_types.h"

namespace nsm4::collector {

// `s` cut to `max` bytes with anything but printable ASCII replaced by '?', for
// error messages that quote the client's input.
std::string printable_excerpt(std::string_view s, size_t max = 40);

// When services.api_token is set, the request must carry "Authorization: Bearer
// <api_token>"; otherwise answers 401 (counted) and returns false.
bool api_authorized(CollectorServices& s, const HttpRequest& req, const Respond& respond);

// A refusal: counted under `reason`, answered {"error": message}.
void refuse(CollectorServices& s, const Respond& respond, RejectReason reason, int status,
            const std::string& message);

// Agent and site names: [0-9a-zA-Z_.-]{1,64}.
bool valid_name(std::string_view s);

// A time given as unix seconds ("1767323045", "1767323045.5") or RFC 3339
// (eve_timestamp.h); microseconds since the epoch.
std::optional<int64_t> parse_time_param(std::string_view s);

// Microseconds since the epoch as an EVE timestamp: "2026-01-02T03:04:05.123456+0000".
std::string format_time(int64_t us);

}  // namespace nsm4::collector
