#pragma once
// One EVE line checked and indexed in a single pass, without building a DOM:
// the line must be exactly one JSON object (RFC 8259, valid UTF-8, nesting
// bounded), and the fields the store indexes are extracted on the way.
#include <string>
#include <string_view>

#include "store/stored_event.h"

namespace nsm4::collector {

struct EveScanOptions {
  int max_depth = 64;  // deeper nesting is rejected (keeps the recursion bounded)
};

// Fills event_type, severity, sid, signature, category, src_ip / dest_ip
// (normalised by inet_pton/inet_ntop; "" when not an address), community_id,
// and ts_us when the line has a "timestamp" (otherwise ts_us is left as it
// was). Does not set `json`. On failure returns false with `error` saying what
// and at which byte (1-based) of the line.
bool scan_eve_line(std::string_view line, StoredEvent& out, std::string& error,
                   const EveScanOptions& opt = {});

// The text form of an IPv4 or IPv6 address as inet_ntop writes it, or "" when
// `text` is not an address.
std::string normalise_ip(std::string_view text);

}  // namespace nsm4::collector
