#pragma once
// Builders for crafted frames used by the link, IPv4 and tunnel decoder
// tests. Inner payloads use IP protocol 253 (reserved for experiments) so
// that those tests do not depend on the transport decoders.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "decode/checksum.h"
#include "decode/decoder.h"

// The tests name only the fields they set (Ipv4Spec{.proto = 47},
// DecodeConfig{.vxlan = false}); the others keep their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace nsm4::test {

using Bytes = std::vector<uint8_t>;
inline constexpr uint8_t kProtoExperimental = 253;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& b : parts) out.insert(out.end(), b.begin(), b.end());
  return out;
}
inline void put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}
inline Bytes be16(uint16_t v) {
  return {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

inline const Bytes kMacDst = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
inline const Bytes kMacSrc = {0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};

inline Bytes eth(uint16_t type, const Bytes& dst = kMacDst, const Bytes& src = kMacSrc) {
  return cat({dst, src, be16(type)});
}

struct Ipv4Spec {
  Bytes src = {10, 0, 0, 1};
  Bytes dst = {10, 0, 0, 2};
  uint8_t proto = kProtoExperimental;
  uint8_t ttl = 64;
  uint8_t tos = 0;
  uint16_t id = 0x1234;
  uint16_t frag = 0;  // flags and offset word
  Bytes options;      // must be a multiple of 4
};

// A header with a correct checksum and total length, followed by payload.
inline Bytes ipv4(const Ipv4Spec& s, const Bytes& payload = {1, 2, 3, 4}) {
  Bytes h = {static_cast<uint8_t>(0x40 | (5 + s.options.size() / 4)),
             s.tos,
             0,
             0,
             0,
             0,
             0,
             0,
             s.ttl,
             s.proto,
             0,
             0};
  put16(h, 4, s.id);
  put16(h, 6, s.frag);
  h = cat({h, s.src, s.dst, s.options});
  put16(h, 2, static_cast<uint16_t>(h.size() + payload.size()));
  put16(h, 10, inet_checksum(h.data(), h.size()));
  return cat({h, payload});
}

inline Bytes ipv6(uint8_t next_header, const Bytes& payload, uint8_t last_src = 1,
                  uint8_t last_dst = 2) {
  Bytes h = {0x60, 0, 0, 0, 0, 0, next_header, 64};
  put16(h, 4, static_cast<uint16_t>(payload.size()));
  Bytes src(16, 0), dst(16, 0);
  src[0] = dst[0] = 0x20;
  src[1] = dst[1] = 0x01;
  src[15] = last_src;
  dst[15] = last_dst;
  return cat({h, src, dst, payload});
}

inline IpAddr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  const uint8_t x[4] = {a, b, c, d};
  return IpAddr::v4(x);
}

// Decodes a whole frame as capture input of link type `dlt`.
inline Packet decode_frame(DecodeContext& ctx, int dlt, const Bytes& frame) {
  Packet p;
  p.data = frame.data();
  p.caplen = static_cast<uint32_t>(frame.size());
  p.wirelen = p.caplen;
  p.datalink = dlt;
  decode_packet(ctx, p);
  return p;
}

// A packet as the UDP decoder leaves it before handing its payload to a
// tunnel decoder.
inline Packet outer_udp_packet(uint16_t dport) {
  Packet p;
  p.ip_version = 4;
  p.src = v4(192, 0, 2, 1);
  p.dst = v4(192, 0, 2, 2);
  p.ip_proto = 17;
  p.l4 = Layer::kUdp;
  p.sport = 40000;
  p.dport = dport;
  return p;
}

}  // namespace nsm4::test
