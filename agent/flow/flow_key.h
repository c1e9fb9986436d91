#pragma once
// From a decoded packet to its flow key, and the symmetric hash over it.
#include <cstdint>

#include "decode/packet.h"
#include "flow/flow.h"

namespace nsm4 {

// The ICMP type expected in reply to `type` (echo -> echo reply, router
// solicitation -> advertisement, ...), or -1 when the message has none.
// Suricata's ICMPv4GetCounterpart / ICMPv6GetCounterpart tables.
int icmp_counterpart(uint8_t proto, uint8_t type);

// Whether the packet can form a flow: decoded IP, not invalid, not a bare
// fragment (the rebuilt datagram forms the flow), and its transport header
// decoded when the protocol is one whose ports or types key the flow.
bool packet_forms_flow(const Packet& p);

// The key of the packet as it travels (src = the packet's source). Only
// meaningful when packet_forms_flow(p).
FlowKey packet_flow_key(const Packet& p);

// The same key with the endpoints exchanged.
FlowKey reversed(const FlowKey& k);

// A hash equal for a key and its reverse; `seed` 0 is the sharding hash.
uint64_t symmetric_key_hash(const FlowKey& k, uint64_t seed);

// The flow id Suricata-style: 51 bits (exact as a JSON number), never 0,
// derived from the key and the flow's first packet time only.
uint64_t make_flow_id(const FlowKey& k, Timestamp start);

}  // namespace nsm4
