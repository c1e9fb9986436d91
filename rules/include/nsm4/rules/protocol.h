#pragma once
// The protocol field of a rule header: a table of the names Suricata (and
// Snort 3) accept, what layer each one is, and its IP protocol number.
#include <cstdint>
#include <string_view>

namespace nsm4::rules {

enum class ProtoLayer {
  kIp,         // ip, ipv4, ipv6, pkt: any IP packet
  kTransport,  // tcp, udp, icmp, icmpv6, sctp, tcp-pkt, tcp-stream
  kApp,        // http, dns, tls, ...: needs app-layer protocol detection
};

struct ProtocolInfo {
  std::string_view name;  // canonical name ("icmpv6" for "icmp6")
  ProtoLayer layer;
  uint8_t ip_proto;  // 0 for ip-level; the transport for app protocols when fixed
};

// nullptr when the name is not a protocol nsm4 knows.
const ProtocolInfo* find_protocol(std::string_view name);

}  // namespace nsm4::rules
