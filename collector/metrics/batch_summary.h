#pragma once
// What one batch adds to the metrics, summed on the request's thread before
// the commit so that the writer thread only adds a few numbers after it.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "store/stored_event.h"

namespace nsm4::collector {

// The event_type label's fixed set (EVE record types); anything else is "other".
inline constexpr std::array<std::string_view, 41> kEventTypeLabels = {
    "alert", "anomaly", "drop",      "flow",   "netflow", "stats",    "dns",      "http",
    "http2", "tls",     "ssh",       "smtp",   "ftp",     "ftp_data", "fileinfo", "dhcp",
    "smb",   "nfs",     "krb5",      "snmp",   "sip",     "rdp",      "rfb",      "mqtt",
    "quic",  "dcerpc",  "ike",       "modbus", "dnp3",    "tftp",     "pgsql",    "bittorrent_dht",
    "arp",   "frame",   "websocket", "ldap",   "pop3",    "enip",     "sdp",      "mdns",
    "other"};
inline constexpr size_t kEventTypeOther = kEventTypeLabels.size() - 1;

// Index in kEventTypeLabels (kEventTypeOther when not in the set).
size_t event_type_index(std::string_view event_type);

// The severity label: "1", "2", "3"; everything else (4 and lower priorities,
// or none) is "4".
std::string_view severity_label(int severity);

struct BatchSummary {
  uint64_t events = 0;
  std::array<uint64_t, kEventTypeLabels.size()> by_type{};
  // (severity label 1..4, category) -> alerts
  std::map<std::pair<int, std::string>, uint64_t> alerts;

  void add(const StoredEvent& ev);
};

}  // namespace nsm4::collector
