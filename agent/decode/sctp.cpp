// SCTP (RFC 9260): only the common header, for the ports flows are keyed on.
#include "decode/decoders.h"

namespace nsm4 {

namespace {
constexpr uint32_t kSctpCommonHeaderLen = 12;  // ports, verification tag, CRC32c
}  // namespace

void decode_sctp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kSctpCommonHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::SCTP_PKT_TOO_SMALL);
    return;
  }
  p.l4 = Layer::kSctp;
  p.l4_hdr = data;
  p.l4_hdr_len = kSctpCommonHeaderLen;
  p.sport = rd16(data);
  p.dport = rd16(data + 2);
  p.payload = data + kSctpCommonHeaderLen;
  p.payload_len = len - kSctpCommonHeaderLen;
}

}  // namespace nsm4
