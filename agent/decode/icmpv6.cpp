// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861). Type/code events
// follow Suricata's decode-icmpv6.c; NDP fields go to Packet::nd for the IPv6
// rules (RA guard and the like).
#include "decode/checksum.h"
#include "decode/decoders.h"

namespace nsm4 {

namespace {

constexpr uint32_t kIcmpv6HeaderLen = 8;
constexpr uint32_t kIpv6HeaderLen = 40;
constexpr uint8_t kProtoIcmpv6 = 58;
constexpr uint8_t kNdHopLimit = 255;  // RFC 4861: ND messages never cross a router
constexpr uint8_t kMldHopLimit = 1;   // RFC 2710 / 3810

enum Icmpv6Type : uint8_t {
  kDestUnreach = 1,
  kPacketTooBig = 2,
  kTimeExceeded = 3,
  kParamProblem = 4,
  kEchoRequest = 128,
  kEchoReply = 129,
  kMldQuery = 130,
  kMldReport = 131,
  kMldDone = 132,
  kRouterSolicit = 133,
  kRouterAdvert = 134,
  kNeighborSolicit = 135,
  kNeighborAdvert = 136,
  kRedirect = 137,
  kRouterRenumbering = 138,
  kNodeInfoQuery = 139,
  kNodeInfoReply = 140,
  kInverseNdSolicit = 141,
  kInverseNdAdvert = 142,
  kMldv2Report = 143,
  kHomeAgentRequest = 144,
  kHomeAgentReply = 145,
  kMobilePrefixSolicit = 146,
  kMobilePrefixAdvert = 147,
  kCertPathSolicit = 148,
  kCertPathAdvert = 149,
  kMobileExperimental = 150,
  kMcastRouterAdvert = 151,
  kMcastRouterSolicit = 152,
  kMcastRouterTerminate = 153,
  kFmipv6 = 154,
  kRplControl = 155,
  kIlnpLocatorUpdate = 156,
  kDupAddrRequest = 157,
  kDupAddrConfirm = 158,
  kMplControl = 159,
};

enum NdOption : uint8_t {
  kOptSrcLinkAddr = 1,
  kOptTgtLinkAddr = 2,
  kOptPrefixInfo = 3,
  kOptMtu = 5,
};

// Offset of the options in each ND message (RFC 4861 section 4).
uint32_t nd_options_offset(uint8_t type) {
  switch (type) {
    case kRouterSolicit:
      return 8;
    case kRouterAdvert:
      return 16;
    case kNeighborSolicit:
    case kNeighborAdvert:
      return 24;  // + target address
    case kRedirect:
      return 40;  // + target and destination addresses
    default:
      return 0;
  }
}

// Walks the TLV options (length in units of 8 octets) of an ND message.
void parse_nd_options(DecodeContext& ctx, Packet& p, const uint8_t* opt, uint32_t len) {
  uint32_t off = 0;
  while (off < len) {
    if (len - off < 2) {
      decode_event(ctx, p, DecodeEvent::ICMPV6_ND_OPT_INVALID);
      return;
    }
    const uint8_t type = opt[off];
    const uint32_t olen = opt[off + 1] * 8u;
    // A zero length would loop forever; hosts must drop such messages.
    if (olen == 0 || olen > len - off) {
      decode_event(ctx, p, DecodeEvent::ICMPV6_ND_OPT_INVALID);
      return;
    }
    const uint8_t* val = opt + off + 2;
    switch (type) {
      case kOptSrcLinkAddr:
      case kOptTgtLinkAddr:
        (type == kOptSrcLinkAddr ? p.nd.has_src_lladdr : p.nd.has_tgt_lladdr) = true;
        if (olen == 8) {  // Ethernet: a 6-byte address
          for (int i = 0; i < 6; ++i) p.nd.lladdr[i] = val[i];
        }
        break;
      case kOptPrefixInfo:
        if (olen != 32) {
          decode_event(ctx, p, DecodeEvent::ICMPV6_ND_OPT_INVALID);
        } else if (p.nd.prefix_count < 0xff) {
          ++p.nd.prefix_count;
        }
        break;
      case kOptMtu:
        if (olen != 8) {
          decode_event(ctx, p, DecodeEvent::ICMPV6_ND_OPT_INVALID);
        } else {
          p.nd.mtu = rd32(val + 2);
        }
        break;
      default:
        break;
    }
    off += olen;
  }
}

// Router/Neighbor Solicitation and Advertisement, Redirect.
void decode_nd(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  const uint8_t type = data[0];
  if (p.ip_version == 6 && p.ttl != kNdHopLimit)
    decode_event(ctx, p, DecodeEvent::ICMPV6_ND_INVALID_HL);
  const uint32_t opts_off = nd_options_offset(type);
  if (len < opts_off) {
    // The fixed part is cut short; nothing reliable to extract.
    decode_event(ctx, p, DecodeEvent::ICMPV6_PKT_TOO_SMALL);
    return;
  }
  switch (type) {
    case kRouterAdvert:
      p.nd.cur_hop_limit = data[4];
      p.nd.ra_flags = data[5];
      p.nd.router_lifetime = rd16(data + 6);
      p.nd.reachable_time = rd32(data + 8);
      p.nd.retrans_timer = rd32(data + 12);
      break;
    case kNeighborAdvert:
      p.nd.na_flags = rd32(data + 4) & 0xe0000000;
      p.nd.target = IpAddr::v6(data + 8);
      break;
    case kNeighborSolicit:
    case kRedirect:
      p.nd.target = IpAddr::v6(data + 8);
      break;
    default:
      break;
  }
  parse_nd_options(ctx, p, data + opts_off, len - opts_off);
}

// Error messages quote the offending IPv6 datagram. Only checked: the
// packet's own addresses stay those of the ICMPv6 packet.
void check_quoted_ipv6(DecodeContext& ctx, Packet& p, const uint8_t* quoted, uint32_t len) {
  if (len < kIpv6HeaderLen) {
    decode_event(ctx, p, DecodeEvent::ICMPV6_IPV6_TRUNC_PKT);
  } else if ((quoted[0] >> 4) != 6) {
    decode_event(ctx, p, DecodeEvent::ICMPV6_IPV6_UNKNOWN_VER);
  }
}

// Types Suricata does not list: unassigned, experimental or unknown (IANA registry).
DecodeEvent unlisted_type_event(uint8_t type) {
  if ((type >= 100 && type <= 101) || (type >= 200 && type <= 201))
    return DecodeEvent::ICMPV6_EXPERIMENTATION_TYPE;
  if ((type > 4 && type < 127) || (type >= 160 && type < 200) || type >= 202)
    return DecodeEvent::ICMPV6_UNASSIGNED_TYPE;
  return DecodeEvent::ICMPV6_UNKNOWN_TYPE;  // 0, 127 (reserved)
}

// Whether `code` is valid for `type`; `known` says whether the type is one
// Suricata lists at all.
bool code_valid(uint8_t type, uint8_t code, bool& known) {
  known = true;
  switch (type) {
    case kDestUnreach:
      return code <= 6;
    case kTimeExceeded:
      return code <= 1;
    case kParamProblem:
      return code <= 2;
    case kRouterRenumbering:
      return code <= 2 || code == 255;
    case kNodeInfoQuery:
    case kNodeInfoReply:
      return code <= 2;
    case kRplControl:
      return code <= 3 || (code >= 128 && code <= 132);
    case kMobileExperimental:
    case kMcastRouterAdvert:
    case kMcastRouterSolicit:
    case kMcastRouterTerminate:
      return true;
    case kPacketTooBig:
    case kEchoRequest:
    case kEchoReply:
    case kMldQuery:
    case kMldReport:
    case kMldDone:
    case kRouterSolicit:
    case kRouterAdvert:
    case kNeighborSolicit:
    case kNeighborAdvert:
    case kRedirect:
    case kInverseNdSolicit:
    case kInverseNdAdvert:
    case kMldv2Report:
    case kHomeAgentRequest:
    case kHomeAgentReply:
    case kMobilePrefixSolicit:
    case kMobilePrefixAdvert:
    case kCertPathSolicit:
    case kCertPathAdvert:
    case kFmipv6:
    case kIlnpLocatorUpdate:
    case kDupAddrRequest:
    case kDupAddrConfirm:
    case kMplControl:
      return code == 0;
    default:
      known = false;
      return true;
  }
}

void check_checksum(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  // The pseudo header needs IPv6 addresses; with a routing header the final
  // destination is not the one in the IPv6 header.
  if (p.ip_version != 6 || (p.ipv6_exthdrs & kExtRouting)) return;
  const bool ok = inet_checksum(data, len, pseudo_header_sum_v6(p, kProtoIcmpv6, len)) == 0;
  ctx.note_checksum_result(ok);
  if (!ok) decode_event(ctx, p, DecodeEvent::ICMPV6_CHECKSUM_INVALID);
}

}  // namespace

void decode_icmpv6(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIcmpv6HeaderLen) {
    decode_fail(ctx, p, DecodeEvent::ICMPV6_PKT_TOO_SMALL);
    return;
  }
  const uint8_t type = data[0];
  const uint8_t code = data[1];
  p.l4 = Layer::kIcmpv6;
  p.l4_hdr = data;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = 0;
  p.icmp_seq = 0;
  p.nd = NdInfo{};

  bool known = true;
  const bool code_ok = code_valid(type, code, known);
  if (!known) {
    decode_event(ctx, p, unlisted_type_event(type));
  } else if (!code_ok) {
    decode_event(ctx, p, DecodeEvent::ICMPV6_UNKNOWN_CODE);
  }

  // Error and echo messages have an 8-byte header; for the others Suricata
  // takes the 4-byte type/code/checksum as the header.
  bool full_header = false;
  switch (type) {
    case kDestUnreach:
    case kPacketTooBig:
    case kTimeExceeded:
    case kParamProblem:
      if (code_ok) {
        check_quoted_ipv6(ctx, p, data + kIcmpv6HeaderLen, len - kIcmpv6HeaderLen);
        full_header = true;
      }
      break;
    case kEchoRequest:
    case kEchoReply:
      p.icmp_id = rd16(data + 4);
      p.icmp_seq = rd16(data + 6);
      full_header = code_ok;
      break;
    case kMldQuery:
    case kMldReport:
    case kMldDone:
      if (p.ip_version == 6 && p.ttl != kMldHopLimit)
        decode_event(ctx, p, DecodeEvent::ICMPV6_MLD_MESSAGE_WITH_INVALID_HL);
      break;
    case kRouterSolicit:
    case kRouterAdvert:
    case kNeighborSolicit:
    case kNeighborAdvert:
    case kRedirect:
      decode_nd(ctx, p, data, len);
      break;
    default:
      break;
  }

  const uint32_t hdr_len = full_header ? kIcmpv6HeaderLen : 4;
  p.l4_hdr_len = static_cast<uint16_t>(hdr_len);
  p.payload = data + hdr_len;
  p.payload_len = len - hdr_len;

  if (ctx.validate_checksums()) check_checksum(ctx, p, data, len);
}

}  // namespace nsm4
