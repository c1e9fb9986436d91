// GRE: version 0 (RFC 1701/2784/2890) and version 1, the enhanced GRE of
// PPTP (RFC 2637) carrying PPP. Validation and events follow Suricata.
#include "decode/decoders.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr uint32_t kGreHeaderLen = 4;
constexpr uint32_t kGreFieldLen = 4;  // key, sequence, ack, checksum+offset
constexpr uint32_t kGreSreHeaderLen = 4;

// First octet.
constexpr uint8_t kFlagChecksum = 0x80;
constexpr uint8_t kFlagRouting = 0x40;
constexpr uint8_t kFlagKey = 0x20;
constexpr uint8_t kFlagSeq = 0x10;
constexpr uint8_t kFlagStrictRoute = 0x08;
constexpr uint8_t kRecursionMask = 0x07;
// Second octet.
constexpr uint8_t kFlagAck = 0x80;  // version 1 only
constexpr uint8_t kReservedMask = 0x78;
constexpr uint8_t kVersionMask = 0x07;

constexpr uint16_t kProtoPpp = 0x880b;
constexpr uint16_t kProtoIpv4 = 0x0800;
constexpr uint16_t kProtoIpv6 = 0x86dd;
constexpr uint16_t kProtoVlan = 0x8100;
constexpr uint16_t kProtoBridge = 0x6558;  // transparent Ethernet bridging
constexpr uint16_t kProtoErspan = 0x88be;

// Length of a version 0 header, or 0 after recording why it is invalid.
uint32_t v0_header_len(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (data[0] & kRecursionMask) {
    decode_fail(ctx, p, DecodeEvent::GRE_VERSION0_RECUR);
    return 0;
  }
  if (data[1] & kReservedMask) {
    decode_fail(ctx, p, DecodeEvent::GRE_VERSION0_FLAGS);
    return 0;
  }
  uint32_t hlen = kGreHeaderLen;
  if (data[0] & kFlagKey) hlen += kGreFieldLen;
  if (data[0] & kFlagSeq) hlen += kGreFieldLen;
  if (data[0] & (kFlagChecksum | kFlagRouting)) hlen += kGreFieldLen;
  if (hlen > len) {
    decode_fail(ctx, p, DecodeEvent::GRE_VERSION0_HDR_TOO_BIG);
    return 0;
  }
  if (data[0] & kFlagRouting) {
    // Source route entries [af:2][offset:1][length:1][route...], ended by
    // an entry with af 0 and length 0.
    while (true) {
      if (hlen + kGreSreHeaderLen > len) {
        decode_fail(ctx, p, DecodeEvent::GRE_VERSION0_MALFORMED_SRE_HDR);
        return 0;
      }
      const uint8_t* sre = data + hlen;
      hlen += kGreSreHeaderLen;
      if (rd16(sre) == 0 && sre[3] == 0) break;
      hlen += sre[3];
      if (hlen > len) {
        decode_fail(ctx, p, DecodeEvent::GRE_VERSION0_MALFORMED_SRE_HDR);
        return 0;
      }
    }
  }
  return hlen;
}

// Length of a version 1 (PPTP) header, or 0 after recording why it is
// invalid or, for a PPTP ack without payload, after nothing.
uint32_t v1_header_len(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  DecodeEvent bad = DecodeEvent::kCount;
  if (data[0] & kFlagChecksum)
    bad = DecodeEvent::GRE_VERSION1_CHKSUM;
  else if (data[0] & kFlagRouting)
    bad = DecodeEvent::GRE_VERSION1_ROUTE;
  else if (data[0] & kFlagStrictRoute)
    bad = DecodeEvent::GRE_VERSION1_SSR;
  else if (data[0] & kRecursionMask)
    bad = DecodeEvent::GRE_VERSION1_RECUR;
  else if (data[1] & kReservedMask)
    bad = DecodeEvent::GRE_VERSION1_FLAGS;
  else if (rd16(data + 2) != kProtoPpp)
    bad = DecodeEvent::GRE_VERSION1_WRONG_PROTOCOL;
  else if (!(data[0] & kFlagKey))
    bad = DecodeEvent::GRE_VERSION1_NO_KEY;
  if (bad != DecodeEvent::kCount) {
    decode_fail(ctx, p, bad);
    return 0;
  }
  uint32_t hlen = kGreHeaderLen + kGreFieldLen;  // key: payload length, call id
  if (data[0] & kFlagSeq) hlen += kGreFieldLen;
  if (data[1] & kFlagAck) hlen += kGreFieldLen;
  if (hlen > len) {
    decode_fail(ctx, p, DecodeEvent::GRE_VERSION1_HDR_TOO_BIG);
    return 0;
  }
  return hlen;
}

// PPP inside PPTP: optional address/control (ff 03), then a one- or
// two-byte protocol field. Only IPv4 and IPv6 are followed; control
// protocols (LCP, CCP, ...) and compressed or encrypted frames end here.
void decode_ppp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  uint32_t off = 0;
  if (len >= 2 && data[0] == 0xff && data[1] == 0x03) off = 2;
  if (off >= len) return;
  uint16_t proto = data[off];
  if (proto & 1) {
    off += 1;  // protocol field compression
  } else {
    if (off + 2 > len) return;
    proto = rd16(data + off);
    off += 2;
  }
  Layer inner;
  if (proto == 0x0021)
    inner = Layer::kIpv4;
  else if (proto == 0x0057)
    inner = Layer::kIpv6;
  else
    return;
  enter_tunnel(p);
  decode_layer(ctx, p, inner, data + off, len - off);
}

// ERSPAN type II (GRE with a sequence number): an 8-byte header whose
// version must be 1 and whose VLAN is the mirrored frame's, then Ethernet.
// Type I has no header of its own and no sequence number.
void decode_erspan(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len, bool type2) {
  constexpr uint32_t kErspanHeaderLen = 8;
  if (type2) {
    if (len < kErspanHeaderLen) {
      decode_fail(ctx, p, DecodeEvent::ERSPAN_HEADER_TOO_SMALL);
      return;
    }
    if (data[0] >> 4 != 1) {
      decode_fail(ctx, p, DecodeEvent::ERSPAN_UNSUPPORTED_VERSION);
      return;
    }
    const uint16_t vlan = rd16(data) & 0x0fff;
    if (vlan != 0) {
      if (p.vlan_count >= p.vlan.size()) {
        decode_fail(ctx, p, DecodeEvent::ERSPAN_TOO_MANY_VLAN_LAYERS);
        return;
      }
      p.vlan[p.vlan_count++] = vlan;
    }
    data += kErspanHeaderLen;
    len -= kErspanHeaderLen;
  }
  enter_tunnel(p);
  decode_layer(ctx, p, Layer::kEthernet, data, len);
}
}  // namespace

void decode_gre(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kGreHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::GRE_PKT_TOO_SMALL);
    return;
  }
  uint32_t hlen = 0;
  switch (data[1] & kVersionMask) {
    case 0:
      hlen = v0_header_len(ctx, p, data, len);
      break;
    case 1:
      hlen = v1_header_len(ctx, p, data, len);
      break;
    default:
      decode_fail(ctx, p, DecodeEvent::GRE_WRONG_VERSION);
      return;
  }
  if (hlen == 0) return;

  const uint16_t proto = rd16(data + 2);
  const uint8_t* inner = data + hlen;
  const uint32_t inner_len = len - hlen;
  switch (proto) {
    case kProtoIpv4:
      enter_tunnel(p);
      decode_layer(ctx, p, Layer::kIpv4, inner, inner_len);
      break;
    case kProtoIpv6:
      enter_tunnel(p);
      decode_layer(ctx, p, Layer::kIpv6, inner, inner_len);
      break;
    case kProtoVlan:
      enter_tunnel(p);
      decode_layer(ctx, p, Layer::kVlan, inner, inner_len);
      break;
    case kProtoBridge:
      enter_tunnel(p);
      decode_layer(ctx, p, Layer::kEthernet, inner, inner_len);
      break;
    case kProtoErspan:
      decode_erspan(ctx, p, inner, inner_len, data[0] & kFlagSeq);
      break;
    case kProtoPpp:
      // PPTP's payload length (first half of the key) is 0 in pure acks.
      if ((data[1] & kVersionMask) == 1 && rd16(data + 4) == 0) return;
      decode_ppp(ctx, p, inner, inner_len);
      break;
    default:
      break;  // other payloads (ARP, MPLS, ...) are not inspected
  }
}

}  // namespace nsm4
