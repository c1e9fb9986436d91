// IPv6 (RFC 8200): fixed header, the extension header chain, IPv4/IPv6
// tunnels, then the upper layer. Event conditions follow Suricata's
// decode-ipv6.c so that anomaly counters and EVE events line up with it.
#include <algorithm>

#include "decode/decoders.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {

constexpr uint32_t kIpv6HeaderLen = 40;
constexpr uint32_t kIpv4MinHeaderLen = 20;

// Next-header values.
constexpr uint8_t kHopByHop = 0;
constexpr uint8_t kIcmpv4 = 1;
constexpr uint8_t kIpIp = 4;
constexpr uint8_t kIpv6InIpv6 = 41;
constexpr uint8_t kRouting = 43;
constexpr uint8_t kFragment = 44;
constexpr uint8_t kEsp = 50;
constexpr uint8_t kAh = 51;
constexpr uint8_t kNoNext = 59;
constexpr uint8_t kDstOpts = 60;
constexpr uint8_t kMobility = 135;
constexpr uint8_t kHip = 139;
constexpr uint8_t kShim6 = 140;

// Hop-by-Hop / Destination option types Suricata checks the length of.
constexpr uint8_t kOptPad1 = 0x00;
constexpr uint8_t kOptPadN = 0x01;
constexpr uint8_t kOptRouterAlert = 0x05;
constexpr uint8_t kOptJumbo = 0xc2;
constexpr uint8_t kOptHomeAddress = 0xc9;

uint16_t clamp16(uint32_t v) {
  return static_cast<uint16_t>(std::min<uint32_t>(v, 0xffff));
}

// Walks the TLV options of a Hop-by-Hop or Destination Options header.
void parse_options(DecodeContext& ctx, Packet& p, const uint8_t* hdr, uint32_t hdr_len,
                   bool hop_by_hop) {
  const uint8_t* opts = hdr + 2;
  const uint32_t opts_len = hdr_len - 2;
  uint32_t padding = 0;
  uint32_t others = 0;
  uint32_t off = 0;
  while (off < opts_len) {
    const uint8_t type = opts[off];
    if (type == kOptPad1) {
      ++padding;
      ++off;
      continue;
    }
    if (off + 2 > opts_len) {
      decode_fail(ctx, p, DecodeEvent::IPV6_EXTHDR_INVALID_OPTLEN);
      break;
    }
    const uint8_t olen = opts[off + 1];
    if (off + 2 + olen > opts_len) {
      decode_fail(ctx, p, DecodeEvent::IPV6_EXTHDR_INVALID_OPTLEN);
      break;
    }
    bool bad_len = false;
    switch (type) {
      case kOptPadN:
        ++padding;
        if (olen == 0) decode_event(ctx, p, DecodeEvent::IPV6_ZERO_LEN_PADN);
        break;
      case kOptRouterAlert:
        bad_len = olen < 2;
        ++others;
        break;
      case kOptJumbo:
        bad_len = olen < 4;
        break;
      case kOptHomeAddress:
        bad_len = olen < 16;
        ++others;
        break;
      default:
        decode_event(ctx, p,
                     hop_by_hop ? DecodeEvent::IPV6_HOPOPTS_UNKNOWN_OPT
                                : DecodeEvent::IPV6_DSTOPTS_UNKNOWN_OPT);
        ++others;
        break;
    }
    if (bad_len) {
      decode_fail(ctx, p, DecodeEvent::IPV6_EXTHDR_INVALID_OPTLEN);
      break;
    }
    off += 2u + olen;
  }
  if (padding > 0 && others == 0) {
    decode_event(ctx, p,
                 hop_by_hop ? DecodeEvent::IPV6_HOPOPTS_ONLY_PADDING
                            : DecodeEvent::IPV6_DSTOPTS_ONLY_PADDING);
  }
}

// IPv4-in-IPv6 and IPv6-in-IPv6: the inner header becomes the packet's view.
void decode_tunnel(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data,
                   uint32_t len) {
  const bool v4 = proto == kIpIp;
  const uint32_t min_len = v4 ? kIpv4MinHeaderLen : kIpv6HeaderLen;
  if (len < min_len) {
    decode_fail(
        ctx, p,
        v4 ? DecodeEvent::IPV4_IN_IPV6_PKT_TOO_SMALL : DecodeEvent::IPV6_IN_IPV6_PKT_TOO_SMALL);
    return;
  }
  if ((data[0] >> 4) != (v4 ? 4 : 6)) {
    decode_fail(
        ctx, p,
        v4 ? DecodeEvent::IPV4_IN_IPV6_WRONG_VERSION : DecodeEvent::IPV6_IN_IPV6_WRONG_VERSION);
    return;
  }
  enter_tunnel(p);
  decode_ip_proto(ctx, p, proto, data, len);
}

// Marks the end of the IP header chain at `upper` (start of the upper layer).
void set_header_end(Packet& p, const uint8_t* ip, const uint8_t* upper, uint8_t proto) {
  p.ip_hdr_len = clamp16(static_cast<uint32_t>(upper - ip));
  p.ip_proto = proto;
}

}  // namespace

void decode_ipv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIpv6HeaderLen) {
    decode_fail(ctx, p, DecodeEvent::IPV6_PKT_TOO_SMALL);
    return;
  }
  if ((data[0] >> 4) != 6) {
    decode_fail(ctx, p, DecodeEvent::IPV6_WRONG_IP_VER);
    return;
  }
  const uint32_t plen = rd16(data + 4);
  if (len < kIpv6HeaderLen + plen) {
    decode_fail(ctx, p, DecodeEvent::IPV6_TRUNC_PKT);
    return;
  }

  clear_ip_layers(p);
  p.ip_version = 6;
  p.src = IpAddr::v6(data + 8);
  p.dst = IpAddr::v6(data + 24);
  p.ip_hdr = data;
  p.ip_hdr_len = kIpv6HeaderLen;
  p.ip_total_len = kIpv6HeaderLen + plen;
  p.tos = static_cast<uint8_t>(rd16(data) >> 4);
  p.ipv6_flow_label = rd32(data) & 0xfffff;
  p.ttl = data[7];

  // Trailing bytes beyond the payload length (Ethernet padding) are ignored.
  const uint8_t* cur = data + kIpv6HeaderLen;
  uint32_t rem = plen;
  uint8_t nh = data[6];
  p.ip_proto = nh;

  bool seen_hh = false, seen_rh = false, seen_ah = false;
  int dst_opts = 0;
  int chain = 0;

  for (;;) {
    switch (nh) {
      case kNoNext:
        p.ipv6_exthdrs |= kExtNone;
        set_header_end(p, data, cur, nh);
        // Nothing follows by definition; bytes here are suspicious.
        if (rem > 0) decode_event(ctx, p, DecodeEvent::IPV6_DATA_AFTER_NONE_HEADER);
        return;
      case kEsp:
        // Encrypted from here on: nothing more to decode.
        p.ipv6_exthdrs |= kExtEsp;
        set_header_end(p, data, cur, nh);
        p.payload = cur;
        p.payload_len = rem;
        return;
      case kIcmpv4:
        set_header_end(p, data, cur, nh);
        decode_event(ctx, p, DecodeEvent::IPV6_WITH_ICMPV4);
        return;
      case kIpIp:
      case kIpv6InIpv6:
        set_header_end(p, data, cur, nh);
        decode_tunnel(ctx, p, nh, cur, rem);
        return;
      case 6:    // TCP
      case 17:   // UDP
      case 47:   // GRE
      case 58:   // ICMPv6
      case 132:  // SCTP
        set_header_end(p, data, cur, nh);
        decode_ip_proto(ctx, p, nh, cur, rem);
        return;
      case kHopByHop:
      case kRouting:
      case kFragment:
      case kDstOpts:
      case kAh:
      case kMobility:
      case kHip:
      case kShim6:
        break;  // extension headers: handled below
      default:
        set_header_end(p, data, cur, nh);
        p.payload = cur;
        p.payload_len = rem;
        decode_event(ctx, p, DecodeEvent::IPV6_UNKNOWN_NEXT_HEADER);
        return;
    }

    if (++chain > ctx.config().max_ipv6_exthdrs) {
      set_header_end(p, data, cur, nh);
      decode_fail(ctx, p, DecodeEvent::IPV6_EXTHDR_CHAIN_TOO_LONG);
      return;
    }
    if (rem < 2) {
      set_header_end(p, data, cur, nh);
      decode_fail(ctx, p, DecodeEvent::IPV6_TRUNC_EXTHDR);
      return;
    }

    uint32_t hdr_len = 0;
    switch (nh) {
      case kHopByHop:
      case kDstOpts:
        hdr_len = (cur[1] + 1u) * 8;
        break;
      case kFragment:
        hdr_len = 8;
        break;
      case kAh:
        hdr_len = (cur[1] + 2u) * 4;  // RFC 4302: in 4-octet units, minus 2
        break;
      default:  // routing, mobility, HIP, shim6
        hdr_len = 8 + cur[1] * 8u;
        break;
    }
    if (hdr_len > rem) {
      set_header_end(p, data, cur, nh);
      decode_fail(ctx, p, DecodeEvent::IPV6_TRUNC_EXTHDR);
      return;
    }

    switch (nh) {
      case kHopByHop:
        if (seen_hh) {
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_DUPL_HH);
          break;
        }
        seen_hh = true;
        p.ipv6_exthdrs |= kExtHopByHop;
        parse_options(ctx, p, cur, hdr_len, true);
        break;
      case kDstOpts:
        // Two are legitimate: one before a routing header, one before the upper layer.
        if (dst_opts >= 2) {
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_DUPL_DH);
          break;
        }
        ++dst_opts;
        p.ipv6_exthdrs |= kExtDstOpts;
        parse_options(ctx, p, cur, hdr_len, false);
        break;
      case kRouting:
        if (seen_rh) {
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_DUPL_RH);
          break;
        }
        seen_rh = true;
        p.ipv6_exthdrs |= kExtRouting;
        p.ipv6_rh_type = cur[2];
        if (cur[2] == 0) decode_event(ctx, p, DecodeEvent::IPV6_RH_TYPE_0);
        break;
      case kAh:
        if (rd16(cur + 2) != 0) decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_AH_RES_NOT_NULL);
        if (seen_ah) {
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_DUPL_AH);
          break;
        }
        seen_ah = true;
        p.ipv6_exthdrs |= kExtAh;
        break;
      case kMobility:
        p.ipv6_exthdrs |= kExtMobility;
        break;
      case kFragment: {
        if (cur[1] != 0) decode_event(ctx, p, DecodeEvent::IPV6_FH_NON_ZERO_RES_FIELD);
        if (p.ipv6_exthdrs & kExtFragment) {
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_DUPL_FH);
          break;
        }
        p.ipv6_exthdrs |= kExtFragment;
        const uint16_t off_flags = rd16(cur + 2);
        p.frag_offset = off_flags & 0xfff8;
        p.frag_more = off_flags & 1;
        p.frag_id = rd32(cur + 4);
        p.ip_id = static_cast<uint16_t>(p.frag_id);
        p.frag_next_hdr = cur[0];
        p.frag_unfrag_len = clamp16(static_cast<uint32_t>(cur - data));
        if (p.frag_offset == 0 && !p.frag_more) {
          // Atomic fragment (RFC 6946): complete on its own, decode on.
          decode_event(ctx, p, DecodeEvent::IPV6_EXTHDR_USELESS_FH);
          break;
        }
        // Every fragment but the last carries a multiple of 8 bytes (RFC 8200 4.5).
        if (p.frag_more && (rem - hdr_len) % 8 != 0)
          decode_event(ctx, p, DecodeEvent::IPV6_FRAG_INVALID_LENGTH);
        // The rest is decoded from the reassembled datagram. Like IPv4
        // fragments, the packet names the protocol the datagram carries.
        p.is_fragment = true;
        set_header_end(p, data, cur + hdr_len, p.frag_next_hdr);
        p.payload = cur + hdr_len;
        p.payload_len = rem - hdr_len;
        return;
      }
      default:  // HIP, shim6: skipped
        break;
    }
    nh = cur[0];
    cur += hdr_len;
    rem -= hdr_len;
  }
}

}  // namespace nsm4
