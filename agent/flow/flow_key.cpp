#include "flow/flow_key.h"

#include <bit>
#include <cstring>

namespace nsm4 {

namespace {

constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kProtoSctp = 132;

uint64_t load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
uint64_t fmix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v * 0x9e3779b97f4a7c15ull;
  h = (h << 31) | (h >> 33);
  return h * 0xbf58476d1ce4e5b9ull;
}

// The 8 bytes at p as a big-endian number, so that < orders as memcmp does.
uint64_t load64_be(const uint8_t* p) {
  uint64_t v = load64(p);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}

// (address, port) of endpoint a is below that of endpoint b; addresses in
// byte (memcmp) order, compared as two big-endian 64-bit words.
bool endpoint_less(const IpAddr& a, uint16_t ap, const IpAddr& b, uint16_t bp) {
  uint64_t a_hi = load64_be(a.bytes.data());
  uint64_t b_hi = load64_be(b.bytes.data());
  if (a_hi != b_hi) return a_hi < b_hi;
  uint64_t a_lo = load64_be(a.bytes.data() + 8);
  uint64_t b_lo = load64_be(b.bytes.data() + 8);
  if (a_lo != b_lo) return a_lo < b_lo;
  return ap < bp;
}

}  // namespace

int icmp_counterpart(uint8_t proto, uint8_t type) {
  if (proto == kProtoIcmp) {
    switch (type) {
      case 8:
        return 0;  // echo -> echo reply
      case 0:
        return 8;
      case 13:
        return 14;  // timestamp
      case 14:
        return 13;
      case 15:
        return 16;  // information
      case 16:
        return 15;
      case 17:
        return 18;  // address mask
      case 18:
        return 17;
      case 10:
        return 9;  // router solicitation -> advertisement
      case 9:
        return 10;
      default:
        return -1;
    }
  }
  if (proto == kProtoIcmpv6) {
    switch (type) {
      case 128:
        return 129;  // echo
      case 129:
        return 128;
      case 130:
        return 131;  // MLD query -> report
      case 131:
        return 130;
      case 133:
        return 134;  // router solicitation -> advertisement
      case 134:
        return 133;
      case 135:
        return 136;  // neighbour solicitation -> advertisement
      case 136:
        return 135;
      case 139:
        return 140;  // node information query -> response
      case 140:
        return 139;
      case 144:
        return 145;  // home agent address discovery
      case 145:
        return 144;
      case 146:
        return 147;  // mobile prefix solicitation -> advertisement
      case 147:
        return 146;
      default:
        return -1;
    }
  }
  return -1;
}

bool packet_forms_flow(const Packet& p) {
  if (p.invalid || (p.ip_version != 4 && p.ip_version != 6)) return false;
  if (p.is_fragment && !p.reassembled) return false;
  switch (p.ip_proto) {
    case kProtoTcp:
      return p.l4 == Layer::kTcp;
    case kProtoUdp:
      return p.l4 == Layer::kUdp;
    case kProtoSctp:
      return p.l4 == Layer::kSctp;
    case kProtoIcmp:
      return p.l4 == Layer::kIcmpv4;
    case kProtoIcmpv6:
      return p.l4 == Layer::kIcmpv6;
    default:
      return true;
  }
}

FlowKey packet_flow_key(const Packet& p) {
  FlowKey k;
  k.src = p.src;
  k.dst = p.dst;
  k.proto = p.ip_proto;
  if (p.has_ports()) {
    k.sport = p.sport;
    k.dport = p.dport;
  } else if (p.l4 == Layer::kIcmpv4 || p.l4 == Layer::kIcmpv6) {
    k.sport = p.icmp_type;
    int c = icmp_counterpart(p.ip_proto, p.icmp_type);
    k.dport = c < 0 ? 0 : static_cast<uint16_t>(c);
  }
  k.vlan_count = p.vlan_count > 3 ? 3 : p.vlan_count;
  for (int i = 0; i < k.vlan_count; ++i) k.vlan[i] = p.vlan[i];
  k.recursion = p.tunnel_depth > 63 ? 63 : p.tunnel_depth;
  return k;
}

FlowKey reversed(const FlowKey& k) {
  FlowKey r = k;
  r.src = k.dst;
  r.dst = k.src;
  r.sport = k.dport;
  r.dport = k.sport;
  return r;
}

uint64_t symmetric_key_hash(const FlowKey& k, uint64_t seed) {
  bool in_order = endpoint_less(k.src, k.sport, k.dst, k.dport);
  const IpAddr& lo = in_order ? k.src : k.dst;
  const IpAddr& hi = in_order ? k.dst : k.src;
  uint16_t lo_port = in_order ? k.sport : k.dport;
  uint16_t hi_port = in_order ? k.dport : k.sport;
  uint64_t h = seed ^ 0x243f6a8885a308d3ull;
  h = mix(h, load64(lo.bytes.data()));
  h = mix(h, load64(lo.bytes.data() + 8));
  h = mix(h, load64(hi.bytes.data()));
  h = mix(h, load64(hi.bytes.data() + 8));
  h = mix(h, uint64_t{lo_port} | uint64_t{hi_port} << 16 | uint64_t{k.proto} << 32 |
                 uint64_t{lo.version} << 40 | uint64_t{k.vlan_count} << 48 |
                 uint64_t{k.recursion} << 56);
  h = mix(h, uint64_t{k.vlan[0]} | uint64_t{k.vlan[1]} << 16 | uint64_t{k.vlan[2]} << 32);
  return fmix64(h);
}

uint64_t make_flow_id(const FlowKey& k, Timestamp start) {
  // Oriented (the initiator matters) and seeded apart from the sharding hash.
  uint64_t h = symmetric_key_hash(k, 0x6a09e667f3bcc909ull);
  h = mix(h, uint64_t{k.sport} << 16 | k.dport);
  h = mix(h, load64(k.src.bytes.data()) ^ load64(k.src.bytes.data() + 8));
  h = mix(h, static_cast<uint64_t>(start.micros()));
  uint64_t id = fmix64(h) & ((uint64_t{1} << 51) - 1);
  return id ? id : 1;
}

}  // namespace nsm4
