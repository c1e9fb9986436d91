#pragma once
// Community ID v1 (https://github.com/corelight/community-id-spec): the flow
// hash Zeek, Suricata and most SIEMs share.
#include <cstdint>
#include <string>

#include "decode/ip_addr.h"

namespace nsm4 {

// "1:<base64 sha1>" for the given tuple. For ICMP/ICMPv6 pass type as sport
// and code as dport; the function maps them as the spec says. For protocols
// without ports pass 0, 0.
std::string community_id_v1(const IpAddr& saddr, const IpAddr& daddr, uint8_t proto,
                            uint16_t sport, uint16_t dport, uint16_t seed = 0,
                            bool base64 = true);

}  // namespace nsm4
