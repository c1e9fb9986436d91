// TCP (RFC 9293): header, options, payload view, optional checksum check.
// Option length checks and their events follow Suricata's decode-tcp.c.
#include "decode/checksum.h"
#include "decode/decoders.h"

namespace nsm4 {

namespace {

constexpr uint32_t kTcpHeaderLen = 20;
constexpr uint8_t kProtoTcp = 6;

enum TcpOption : uint8_t {
  kOptEol = 0,
  kOptNop = 1,
  kOptMss = 2,
  kOptWscale = 3,
  kOptSackOk = 4,
  kOptSack = 5,
  kOptTimestamp = 8,
  kOptTfo = 34,
  kOptExperiment1 = 253,
  kOptExperiment2 = 254,
};
constexpr uint16_t kTfoExperimentMagic = 0xf989;  // RFC 7413 section 4.1.1
constexpr uint8_t kMaxWscale = 14;                // RFC 7323 section 2.3

// Which options were seen, for duplicate detection.
struct SeenOptions {
  bool mss = false, wscale = false, sack_ok = false, timestamp = false, sack = false, tfo = false;
};

// Records `opt` as seen, or raises TCP_OPT_DUPLICATE; returns true the first time.
bool first_time(DecodeContext& ctx, Packet& p, bool& seen) {
  if (seen) {
    decode_event(ctx, p, DecodeEvent::TCP_OPT_DUPLICATE);
    return false;
  }
  seen = true;
  return true;
}

bool valid_tfo_len(uint8_t olen) {
  // Kind 34: a bare cookie request (2) or a 4..16 byte cookie (even length).
  return olen == 2 || (olen >= 6 && olen <= 18 && olen % 2 == 0);
}

bool valid_experimental_tfo_len(uint8_t olen) {
  // Kind 253/254 with the TFO magic: a request (4) or magic plus 4..16 byte cookie.
  return olen == 4 || (olen >= 8 && olen <= 20 && olen % 2 == 0);
}

void decode_options(DecodeContext& ctx, Packet& p, const uint8_t* opt, uint32_t len) {
  SeenOptions seen;
  uint32_t off = 0;
  while (off < len) {
    const uint8_t kind = opt[off];
    if (kind == kOptEol) break;
    if (kind == kOptNop) {
      ++off;
      continue;
    }
    if (len - off < 2) break;  // a lone kind byte at the end: nothing to decode
    const uint8_t olen = opt[off + 1];
    if (olen < 2 || olen > len - off) {
      // The walk cannot continue past a bad length.
      decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
      return;
    }
    const uint8_t* val = opt + off + 2;
    switch (kind) {
      case kOptMss:
        if (olen != 4) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else if (first_time(ctx, p, seen.mss)) {
          p.tcp_mss = rd16(val);
        }
        break;
      case kOptWscale:
        if (olen != 3) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else if (first_time(ctx, p, seen.wscale)) {
          p.tcp_wscale = val[0] > kMaxWscale ? kMaxWscale : val[0];
        }
        break;
      case kOptSackOk:
        if (olen != 2) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else if (first_time(ctx, p, seen.sack_ok)) {
          p.tcp_sack_permitted = true;
        }
        break;
      case kOptSack:
        if (olen < 10 || olen > 34 || (olen - 2) % 8 != 0) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else {
          first_time(ctx, p, seen.sack);
        }
        break;
      case kOptTimestamp:
        if (olen != 10) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else if (first_time(ctx, p, seen.timestamp)) {
          p.tcp_has_timestamp = true;
          p.tcp_tsval = rd32(val);
          p.tcp_tsecr = rd32(val + 4);
        }
        break;
      case kOptTfo:
        if (!valid_tfo_len(olen)) {
          decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
        } else if (first_time(ctx, p, seen.tfo)) {
          p.tcp_has_tfo = true;
        }
        break;
      case kOptExperiment1:
      case kOptExperiment2:
        // Shared experiment kinds (RFC 6994): only the TFO experiment is ours.
        if (olen >= 4 && rd16(val) == kTfoExperimentMagic) {
          if (!valid_experimental_tfo_len(olen)) {
            decode_event(ctx, p, DecodeEvent::TCP_OPT_INVALID_LEN);
          } else if (first_time(ctx, p, seen.tfo)) {
            p.tcp_has_tfo = true;
          }
        }
        break;
      default:
        break;
    }
    off += olen;
  }
}

void reset_tcp_fields(Packet& p) {
  p.tcp_wscale = 0xff;
  p.tcp_mss = 0;
  p.tcp_sack_permitted = false;
  p.tcp_has_timestamp = false;
  p.tcp_tsval = 0;
  p.tcp_tsecr = 0;
  p.tcp_has_tfo = false;
}

void check_checksum(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  uint32_t pseudo = 0;
  if (p.ip_version == 4) {
    pseudo = pseudo_header_sum_v4(p, kProtoTcp, len);
  } else if (p.ip_version == 6 && !(p.ipv6_exthdrs & kExtRouting)) {
    pseudo = pseudo_header_sum_v6(p, kProtoTcp, len);
  } else {
    return;  // no IP header, or the final destination hides in a routing header
  }
  const bool ok = inet_checksum(data, len, pseudo) == 0;
  ctx.note_checksum_result(ok);
  if (!ok) decode_event(ctx, p, DecodeEvent::TCP_CHECKSUM_INVALID);
}

}  // namespace

void decode_tcp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kTcpHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::TCP_PKT_TOO_SMALL);
    return;
  }
  const uint32_t hlen = (data[12] >> 4) * 4u;
  // Suricata's order: a data offset below 20 shows up as an impossible option length.
  if (hlen < kTcpHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::TCP_INVALID_OPTLEN);
    return;
  }
  if (len < hlen) {
    decode_fail(ctx, p, DecodeEvent::TCP_HLEN_TOO_SMALL);
    return;
  }

  reset_tcp_fields(p);
  p.l4 = Layer::kTcp;
  p.l4_hdr = data;
  p.l4_hdr_len = static_cast<uint16_t>(hlen);
  p.sport = rd16(data);
  p.dport = rd16(data + 2);
  p.tcp_seq = rd32(data + 4);
  p.tcp_ack = rd32(data + 8);
  p.tcp_flags = data[13];
  p.tcp_window = rd16(data + 14);
  p.payload = data + hlen;
  p.payload_len = len - hlen;

  if (hlen > kTcpHeaderLen) decode_options(ctx, p, data + kTcpHeaderLen, hlen - kTcpHeaderLen);
  if (ctx.validate_checksums()) check_checksum(ctx, p, data, len);
}

}  // namespace nsm4
