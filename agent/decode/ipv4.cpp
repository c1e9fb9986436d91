// IPv4 (RFC 791): header, options, fragment fields, then the upper layer.
#include "decode/checksum.h"
#include "decode/decoders.h"
#include "decode/ipv4_options.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr uint32_t kIpv4MinHeaderLen = 20;
constexpr uint8_t kProtoIpip = 4;
constexpr uint8_t kProtoIpv6 = 41;
constexpr uint8_t kProtoIcmpv6 = 58;

// Checks the fixed header against the captured bytes; records the reason
// and returns false when the packet cannot be decoded.
bool header_valid(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIpv4MinHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::IPV4_PKT_TOO_SMALL);
    return false;
  }
  if (data[0] >> 4 != 4) {
    decode_fail(ctx, p, DecodeEvent::IPV4_WRONG_IP_VER);
    return false;
  }
  const uint32_t hlen = (data[0] & 0x0fu) * 4;
  const uint32_t total = rd16(data + 2);
  if (hlen < kIpv4MinHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::IPV4_HLEN_TOO_SMALL);
    return false;
  }
  if (total < hlen) {
    decode_fail(ctx, p, DecodeEvent::IPV4_IPLEN_SMALLER_THAN_HLEN);
    return false;
  }
  // A snaplen-cut or truncated datagram: its upper layers cannot be trusted.
  if (len < total) {
    decode_fail(ctx, p, DecodeEvent::IPV4_TRUNC_PKT);
    return false;
  }
  return true;
}
}  // namespace

void decode_ipv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (!header_valid(ctx, p, data, len)) return;
  const uint16_t hlen = static_cast<uint16_t>((data[0] & 0x0f) * 4);
  const uint16_t total = rd16(data + 2);  // bytes past it (Ethernet padding) are not IP
  const uint8_t proto = data[9];
  const uint16_t frag = rd16(data + 6);

  p.ip_version = 4;
  p.ip_hdr = data;
  p.ip_hdr_len = hlen;
  p.ip_total_len = total;
  p.tos = data[1];
  p.ip_id = rd16(data + 4);
  p.ttl = data[8];
  p.ip_proto = proto;
  p.src = IpAddr::v4(data + 12);
  p.dst = IpAddr::v4(data + 16);
  p.frag_rf = frag & 0x8000;
  p.frag_df = frag & 0x4000;
  p.frag_more = frag & 0x2000;
  p.frag_offset = static_cast<uint16_t>((frag & 0x1fff) * 8);
  p.frag_id = p.ip_id;
  p.is_fragment = p.frag_more || p.frag_offset > 0;
  p.frag_next_hdr = 0;
  p.frag_unfrag_len = 0;
  p.ip_opts = hlen > kIpv4MinHeaderLen
                  ? parse_ipv4_options(ctx, p, data + kIpv4MinHeaderLen, hlen - kIpv4MinHeaderLen)
                  : 0;

  if (ctx.validate_checksums() && inet_checksum(data, hlen) != 0)
    decode_event(ctx, p, DecodeEvent::IPV4_CHECKSUM_INVALID);

  const uint8_t* l4 = data + hlen;
  const uint32_t l4_len = total - hlen;
  p.payload = l4;
  p.payload_len = l4_len;

  // A fragment stops here: the defragmenter rebuilds the datagram and it is
  // decoded again from this layer. Like Suricata (DecodeIPV4 hands every
  // fragment to Defrag and returns), not even the first fragment's transport
  // header is decoded: a flow must not see ports from a datagram it may
  // never get whole, and the rebuilt datagram carries them anyway.
  if (p.is_fragment) return;

  switch (proto) {
    case kProtoIpip:
    case kProtoIpv6:
      enter_tunnel(p);
      break;
    case kProtoIcmpv6:
      decode_fail(ctx, p, DecodeEvent::IPV4_WITH_ICMPV6);
      return;
    default:
      break;
  }
  decode_ip_proto(ctx, p, proto, l4, l4_len);
}

}  // namespace nsm4
