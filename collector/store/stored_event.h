#pragma once
// One event as the store keeps it: the EVE line as received plus the fields the
// officers' questions are indexed on (extracted by ingest/).
#include <cstdint>
#include <string>

namespace nsm4::collector {

struct StoredEvent {
  std::string json;        // the EVE object, one line, exactly as hashed and returned
  int64_t ts_us = 0;       // the event's "timestamp", microseconds since the epoch (UTC)
  std::string event_type;  // "alert", "flow", "dns", "stats", ...
  int severity = 0;        // alert.severity (1 = high ... 4), 0 when not an alert
  int64_t sid = 0;         // alert.signature_id, 0 when not an alert
  std::string signature;   // alert.signature
  std::string category;    // alert.category
  std::string src_ip;      // normalised text form (inet_ntop), "" when absent
  std::string dest_ip;
  std::string community_id;
};

}  // namespace nsm4::collector
