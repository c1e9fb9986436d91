#include "decode/ipv4_options.h"

namespace nsm4 {

namespace {

struct Option {
  uint8_t type;
  uint8_t len;          // whole option, type and length octets included
  const uint8_t* data;  // after the length octet: len - 2 bytes
};

// Minimum or exact lengths from the RFCs, as Suricata checks them.
constexpr uint8_t kRouteMinLen = 3;
constexpr uint8_t kTsMinLen = 5;
constexpr uint8_t kQsMinLen = 8;
constexpr uint8_t kSecLen = 11;
constexpr uint8_t kEsecMinLen = 3;
constexpr uint8_t kCipsoMinLen = 10;
constexpr uint8_t kSidLen = 4;
constexpr uint8_t kRtraltLen = 4;

// RR, LSRR, SSRR: [type][len][ptr][addresses...]; the 1-based pointer
// starts after the three header octets, moves by 4 and may point just past
// the end when the route is full.
bool route_valid(DecodeContext& ctx, Packet& p, const Option& o) {
  if (o.len < kRouteMinLen) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID_LEN);
    return false;
  }
  const uint8_t ptr = o.data[0];
  if (ptr < 4 || ptr % 4 != 0 || ptr > o.len + 1) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_MALFORMED);
    return false;
  }
  return true;
}

// TS: [type][len][ptr][overflow:4|flag:4][records...]; records are 4 bytes
// (timestamp) or 8 (address + timestamp) when flag is 1 or 3.
bool timestamp_valid(DecodeContext& ctx, Packet& p, const Option& o) {
  if (o.len < kTsMinLen) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID_LEN);
    return false;
  }
  const uint8_t ptr = o.data[0];
  if (ptr < 5) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_MALFORMED);
    return false;
  }
  const uint8_t flag = o.data[1] & 0x0f;
  const int rec_size = (flag == 1 || flag == 3) ? 8 : 4;
  if ((ptr - 5) % rec_size != 0 || ptr > o.len + 1) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_MALFORMED);
    return false;
  }
  return true;
}

// CIPSO: [type][len][doi:4][tags...], each tag [ttype][tlen][...].
bool cipso_valid(DecodeContext& ctx, Packet& p, const Option& o) {
  if (o.len < kCipsoMinLen) {
    decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID_LEN);
    return false;
  }
  const uint8_t* tag = o.data + 4;
  uint32_t left = o.len - 6u;
  while (left > 0) {
    if (left < 2) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_MALFORMED);
      return false;
    }
    const uint8_t ttype = tag[0];
    const uint8_t tlen = tag[1];
    const bool known = ttype == 1 || ttype == 2 || ttype == 5 || ttype == 6 || ttype == 7;
    // Type 0 is reserved; the alignment octet after the tag header is zero
    // except in type 7, which has none.
    if (!known || tlen < 4 || tlen > left || (ttype != 7 && tag[2] != 0)) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_MALFORMED);
      return false;
    }
    tag += tlen;
    left -= tlen;
  }
  return true;
}

bool length_valid(DecodeContext& ctx, Packet& p, const Option& o) {
  bool ok = true;
  switch (o.type) {
    case kIpv4OptQs:
      ok = o.len >= kQsMinLen;
      break;
    case kIpv4OptSec:
      ok = o.len == kSecLen;
      break;
    case kIpv4OptEsec:
      ok = o.len >= kEsecMinLen;
      break;
    case kIpv4OptSid:
      ok = o.len == kSidLen;
      break;
    case kIpv4OptRtralt:
      ok = o.len == kRtraltLen;
      break;
    default:
      break;
  }
  if (!ok) decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID_LEN);
  return ok;
}

// Which bit an option sets and how it is validated; 0 = not an option
// Suricata knows (IPV4_OPT_INVALID, skipped).
uint16_t bit_for(uint8_t type) {
  switch (type) {
    case kIpv4OptRr:
      return kIpOptRr;
    case kIpv4OptTs:
      return kIpOptTs;
    case kIpv4OptQs:
      return kIpOptQs;
    case kIpv4OptLsrr:
      return kIpOptLsrr;
    case kIpv4OptSsrr:
      return kIpOptSsrr;
    case kIpv4OptSid:
      return kIpOptSid;
    case kIpv4OptSec:
      return kIpOptSec;
    case kIpv4OptEsec:
      return kIpOptEsec;
    case kIpv4OptCipso:
      return kIpOptCipso;
    case kIpv4OptRtralt:
      return kIpOptRtralt;
    default:
      return 0;
  }
}

bool option_valid(DecodeContext& ctx, Packet& p, const Option& o) {
  switch (o.type) {
    case kIpv4OptRr:
    case kIpv4OptLsrr:
    case kIpv4OptSsrr:
      return route_valid(ctx, p, o);
    case kIpv4OptTs:
      return timestamp_valid(ctx, p, o);
    case kIpv4OptCipso:
      return cipso_valid(ctx, p, o);
    default:
      return length_valid(ctx, p, o);
  }
}

}  // namespace

uint16_t parse_ipv4_options(DecodeContext& ctx, Packet& p, const uint8_t* opts, uint32_t len) {
  uint16_t seen = 0;
  // Suricata wants the options area padded to 8 bytes and warns otherwise
  // (so a lone 4-byte router alert raises it too); decoding goes on.
  if (len % 8 != 0) decode_event(ctx, p, DecodeEvent::IPV4_OPT_PAD_REQUIRED);

  uint32_t off = 0;
  while (off < len) {
    const uint8_t type = opts[off];
    if (type == kIpv4OptEol) {
      seen |= kIpOptEol;
      break;
    }
    if (type == kIpv4OptNop) {
      seen |= kIpOptNop;
      ++off;
      continue;
    }
    const uint32_t left = len - off;
    if (left < 2) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_EOL_REQUIRED);
      break;
    }
    const uint8_t olen = opts[off + 1];
    if (olen > left || olen < 2) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID_LEN);
      break;  // the rest cannot be walked
    }
    const Option o{type, olen, opts + off + 2};
    const uint16_t bit = bit_for(type);
    if (bit == 0) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_INVALID);
    } else if (seen & bit) {
      decode_event(ctx, p, DecodeEvent::IPV4_OPT_DUPLICATE);
    } else if (option_valid(ctx, p, o)) {
      seen |= bit;
    }
    off += olen;
  }
  return seen;
}

}  // namespace nsm4
