#pragma once
// Builders for crafted IPv6 packets used by the IPv6, TCP, UDP and ICMPv6
// decoder tests.
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "decode/checksum.h"
#include "decode/decoder.h"

namespace nsm4::test {

using Bytes = std::vector<uint8_t>;

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// 2001:db8::<last> as 16 bytes.
inline Bytes v6addr(uint8_t last) {
  Bytes a(16, 0);
  a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[15] = last;
  return a;
}

// A 40-byte IPv6 header followed by `payload`; the payload length is that of
// `payload` unless `plen` overrides it.
inline Bytes ipv6(uint8_t next_header, const Bytes& payload, uint8_t hop_limit = 64,
                  const Bytes& src = v6addr(1), const Bytes& dst = v6addr(2), int plen = -1) {
  const uint16_t len = static_cast<uint16_t>(plen < 0 ? payload.size() : plen);
  // version 6, traffic class 0xb8, flow label 0x12345
  Bytes h = {
      0x6b,        0x81,     0x23, 0x45, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len),
      next_header, hop_limit};
  h.insert(h.end(), src.begin(), src.end());
  h.insert(h.end(), dst.begin(), dst.end());
  h.insert(h.end(), payload.begin(), payload.end());
  return h;
}

// An 8-byte UDP header (length filled in, checksum zero) and its payload.
inline Bytes udp(uint16_t sport, uint16_t dport, const Bytes& payload = {}) {
  const uint16_t len = static_cast<uint16_t>(8 + payload.size());
  Bytes u = {static_cast<uint8_t>(sport >> 8),
             static_cast<uint8_t>(sport),
             static_cast<uint8_t>(dport >> 8),
             static_cast<uint8_t>(dport),
             static_cast<uint8_t>(len >> 8),
             static_cast<uint8_t>(len),
             0,
             0};
  u.insert(u.end(), payload.begin(), payload.end());
  return u;
}

// A 20-byte TCP header with `flags`, then `options` (multiple of 4) and payload.
inline Bytes tcp(uint16_t sport, uint16_t dport, uint8_t flags, const Bytes& options = {},
                 const Bytes& payload = {}) {
  const uint8_t doff = static_cast<uint8_t>((20 + options.size()) / 4);
  Bytes t = {static_cast<uint8_t>(sport >> 8),
             static_cast<uint8_t>(sport),
             static_cast<uint8_t>(dport >> 8),
             static_cast<uint8_t>(dport),
             0x01,
             0x02,
             0x03,
             0x04,  // seq
             0x0a,
             0x0b,
             0x0c,
             0x0d,  // ack
             static_cast<uint8_t>(doff << 4),
             flags,
             0xff,
             0xf0,  // window
             0,
             0,  // checksum
             0,
             0};  // urgent pointer
  t.insert(t.end(), options.begin(), options.end());
  t.insert(t.end(), payload.begin(), payload.end());
  return t;
}

inline DecodeConfig config_with_checksum(ChecksumMode mode) {
  DecodeConfig cfg;
  cfg.checksum = mode;
  return cfg;
}

// Decodes `frame` as a raw IPv6 capture (DLT 229). The Packet points into
// `frame`: keep it alive while looking at payload or header pointers.
inline Packet decode_raw_ipv6(DecodeContext& ctx, const Bytes& frame) {
  Packet p;
  p.data = frame.data();
  p.caplen = p.wirelen = static_cast<uint32_t>(frame.size());
  p.datalink = 229;
  decode_packet(ctx, p);
  return p;
}

// Fills in the upper-layer checksum at `csum_off` (relative to the upper
// layer) of an IPv6 packet without extension headers.
inline void fix_v6_checksum(Bytes& pkt, size_t csum_off) {
  Packet p;
  p.src = IpAddr::v6(pkt.data() + 8);
  p.dst = IpAddr::v6(pkt.data() + 24);
  const uint32_t l4len = static_cast<uint32_t>(pkt.size() - 40);
  pkt[40 + csum_off] = pkt[40 + csum_off + 1] = 0;
  const uint16_t c = inet_checksum(pkt.data() + 40, l4len, pseudo_header_sum_v6(p, pkt[6], l4len));
  pkt[40 + csum_off] = static_cast<uint8_t>(c >> 8);
  pkt[40 + csum_off + 1] = static_cast<uint8_t>(c);
}

}  // namespace nsm4::test
