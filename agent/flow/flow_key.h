#pragma once
// From a decoded packet to its flow key, and the symmetric hash over it.
#include <cstddef>
#include <cstdint>
#include <cstring>

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

namespace flow_key_detail {
inline uint64_t load64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t load32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
// proto, vlan_count/recursion and the VLAN ids: the key's last 8 bytes, no
// padding (so a byte compare is the member compare).
inline constexpr size_t kTailOffset = offsetof(FlowKey, proto);
static_assert(kTailOffset + 8 == sizeof(FlowKey) && offsetof(FlowKey, vlan) == kTailOffset + 2,
              "FlowKey layout: proto, bit-fields, vlan must end the key without padding");
static_assert(offsetof(FlowKey, dport) == offsetof(FlowKey, sport) + 2);
}  // namespace flow_key_detail

// How a flow's key relates to a packet's key: the same (the packet travels
// toserver), the reverse (toclient), or neither. A key equal to its own
// reverse matches forward. Equivalent to k == pk / k == reversed(pk), without
// building the reverse, by 64-bit compares.
enum class KeyMatch : uint8_t { kNone, kForward, kReverse };

inline KeyMatch match_key(const FlowKey& k, const FlowKey& pk) {
  using flow_key_detail::load32;
  using flow_key_detail::load64;
  const auto* kb = reinterpret_cast<const uint8_t*>(&k);
  const auto* pb = reinterpret_cast<const uint8_t*>(&pk);
  constexpr size_t kTail = flow_key_detail::kTailOffset;
  if (load64(kb + kTail) != load64(pb + kTail) || k.src.version != pk.src.version ||
      k.dst.version != pk.dst.version)
    return KeyMatch::kNone;
  const uint8_t* ks = k.src.bytes.data();
  const uint8_t* kd = k.dst.bytes.data();
  const uint8_t* ps = pk.src.bytes.data();
  const uint8_t* pd = pk.dst.bytes.data();
  uint32_t kports = load32(&k.sport);
  uint32_t pports = load32(&pk.sport);
  uint64_t fwd = (load64(ks) ^ load64(ps)) | (load64(ks + 8) ^ load64(ps + 8)) |
                 (load64(kd) ^ load64(pd)) | (load64(kd + 8) ^ load64(pd + 8)) | (kports ^ pports);
  if (fwd == 0) return KeyMatch::kForward;
  uint32_t pports_swapped = pports << 16 | pports >> 16;
  uint64_t rev = (load64(ks) ^ load64(pd)) | (load64(ks + 8) ^ load64(pd + 8)) |
                 (load64(kd) ^ load64(ps)) | (load64(kd + 8) ^ load64(ps + 8)) |
                 (kports ^ pports_swapped);
  return rev == 0 ? KeyMatch::kReverse : KeyMatch::kNone;
}

}  // namespace nsm4
