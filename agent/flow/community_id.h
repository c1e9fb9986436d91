#pragma once
// Community ID v1 (https://github.com/corelight/community-id-spec): the flow
// hash Zeek, Suricata and most SIEMs share.
#include <cstdint>
#include <string>

#include "decode/ip_addr.h"

namespace nsm4 {

struct Flow;

// "1:<base64 sha1>" (or "1:<hex sha1>" when !base64) for the given tuple.
// For ICMP/ICMPv6 pass type as sport and code as dport; the function maps
// them as the spec says (request/reply pairs become a two-way "port" pair,
// other messages are one-way and keep their direction). For protocols other
// than TCP, UDP, SCTP, ICMP and ICMPv6 the ports are ignored.
std::string community_id_v1(const IpAddr& saddr, const IpAddr& daddr, uint8_t proto, uint16_t sport,
                            uint16_t dport, uint16_t seed = 0, bool base64 = true);

// The Community ID of a flow, from its key (and for ICMP its first type and
// code toserver), as Suricata computes it for flow and alert records.
std::string flow_community_id(const Flow& f, uint16_t seed = 0, bool base64 = true);

}  // namespace nsm4
