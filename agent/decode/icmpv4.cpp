// ICMPv4 (RFC 792): type, code, id/seq, and a check of the IPv4 header quoted
// by error messages. Type/code events follow Suricata's decode-icmpv4.c.
#include "decode/checksum.h"
#include "decode/decoders.h"

namespace nsm4 {

namespace {

constexpr uint32_t kIcmpHeaderLen = 8;
constexpr uint32_t kIpv4MinHeaderLen = 20;
constexpr uint32_t kTimestampBodyLen = 12;  // originate, receive, transmit

enum Icmpv4Type : uint8_t {
  kEchoReply = 0,
  kDestUnreach = 3,
  kSourceQuench = 4,
  kRedirect = 5,
  kEcho = 8,
  kRouterAdvert = 9,
  kTimeExceeded = 11,
  kParamProblem = 12,
  kTimestamp = 13,
  kTimestampReply = 14,
  kInfoRequest = 15,
  kInfoReply = 16,
  kAddressMask = 17,
  kAddressMaskReply = 18,
};

constexpr uint8_t kMaxUnreachCode = 15;
constexpr uint8_t kMaxRedirectCode = 3;
constexpr uint8_t kMaxTimeExceededCode = 1;

// Error messages quote the offending datagram's IPv4 header. Only checked:
// the packet's own addresses stay those of the ICMP packet.
void check_quoted_ipv4(DecodeContext& ctx, Packet& p, const uint8_t* quoted, uint32_t len) {
  if (len < kIpv4MinHeaderLen) {
    decode_event(ctx, p, DecodeEvent::ICMPV4_IPV4_TRUNC_PKT);
  } else if ((quoted[0] >> 4) != 4) {
    decode_event(ctx, p, DecodeEvent::ICMPV4_IPV4_UNKNOWN_VER);
  }
}

}  // namespace

void decode_icmpv4(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kIcmpHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::ICMPV4_PKT_TOO_SMALL);
    return;
  }
  const uint8_t type = data[0];
  const uint8_t code = data[1];
  p.l4 = Layer::kIcmpv4;
  p.l4_hdr = data;
  p.icmp_type = type;
  p.icmp_code = code;
  p.icmp_id = 0;
  p.icmp_seq = 0;
  uint32_t hdr_len = kIcmpHeaderLen;

  const uint8_t* quoted = data + kIcmpHeaderLen;
  const uint32_t quoted_len = len - kIcmpHeaderLen;
  auto unknown_code_if = [&](bool cond) {
    if (cond) decode_event(ctx, p, DecodeEvent::ICMPV4_UNKNOWN_CODE);
    return cond;
  };

  switch (type) {
    case kEchoReply:
    case kEcho:
    case kInfoRequest:
    case kInfoReply:
    case kAddressMask:
    case kAddressMaskReply:
      p.icmp_id = rd16(data + 4);
      p.icmp_seq = rd16(data + 6);
      unknown_code_if(code != 0);
      break;
    case kTimestamp:
    case kTimestampReply:
      p.icmp_id = rd16(data + 4);
      p.icmp_seq = rd16(data + 6);
      unknown_code_if(code != 0);
      if (len < kIcmpHeaderLen + kTimestampBodyLen) {
        decode_event(ctx, p, DecodeEvent::ICMPV4_IPV4_TRUNC_PKT);
      } else {
        hdr_len += kTimestampBodyLen;
      }
      break;
    case kDestUnreach:
      if (!unknown_code_if(code > kMaxUnreachCode) && quoted_len > 0)
        check_quoted_ipv4(ctx, p, quoted, quoted_len);
      break;
    case kSourceQuench:
      // Suricata checks the quote here even when it is empty.
      if (!unknown_code_if(code != 0)) check_quoted_ipv4(ctx, p, quoted, quoted_len);
      break;
    case kRedirect:
      if (!unknown_code_if(code > kMaxRedirectCode) && quoted_len > 0)
        check_quoted_ipv4(ctx, p, quoted, quoted_len);
      break;
    case kTimeExceeded:
      if (!unknown_code_if(code > kMaxTimeExceededCode) && quoted_len > 0)
        check_quoted_ipv4(ctx, p, quoted, quoted_len);
      break;
    case kParamProblem:
      if (!unknown_code_if(code != 0) && quoted_len > 0)
        check_quoted_ipv4(ctx, p, quoted, quoted_len);
      break;
    case kRouterAdvert: {
      // Number of addresses times the entry size (in 32-bit words).
      const uint32_t adverts_len = data[4] * (data[5] * 4u);
      if (len < kIcmpHeaderLen + adverts_len) {
        decode_event(ctx, p, DecodeEvent::ICMPV4_IPV4_TRUNC_PKT);
      } else {
        hdr_len += adverts_len;
      }
      break;
    }
    default:
      // Like Suricata, every type not listed above (router solicitation
      // included) is reported as unknown.
      decode_event(ctx, p, DecodeEvent::ICMPV4_UNKNOWN_TYPE);
      break;
  }

  p.l4_hdr_len = static_cast<uint16_t>(hdr_len);
  p.payload = data + hdr_len;
  p.payload_len = len - hdr_len;

  if (ctx.validate_checksums()) {
    const bool ok = inet_checksum(data, len) == 0;
    ctx.note_checksum_result(ok);
    if (!ok) decode_event(ctx, p, DecodeEvent::ICMPV4_CHECKSUM_INVALID);
  }
}

}  // namespace nsm4
