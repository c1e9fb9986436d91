#pragma once
// Event times as the store keeps them: microseconds since the epoch, UTC.
#include <cstdint>
#include <optional>
#include <string_view>

namespace nsm4::collector {

// Parses Suricata's EVE timestamp ("2026-01-02T03:04:05.123456+0000") and RFC 3339
// ("2026-01-02T03:04:05Z", "2026-01-02 03:04:05.5+01:00"): a date, 'T'/'t'/' ',
// a time with an optional fraction (digits past microseconds are truncated), and a
// zone: Z, z, +HHMM or +HH:MM. nullopt when anything is out of range or left over.
std::optional<int64_t> parse_timestamp_us(std::string_view s);

// The system clock, microseconds since the epoch.
int64_t wall_clock_us();

}  // namespace nsm4::collector
