// Raw IP (DLT 101 and its platform aliases 12, 14): IPv4 or IPv6 by the
// version nibble.
#include "decode/decoders.h"

namespace nsm4 {

void decode_raw(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  // Like Suricata: anything shorter than the smallest IP header is reported
  // as a too small IPv4 packet, whatever its version nibble.
  if (len < 20) {
    decode_fail(ctx, p, DecodeEvent::IPV4_PKT_TOO_SMALL);
    return;
  }
  switch (data[0] >> 4) {
    case 4:
      decode_layer(ctx, p, Layer::kIpv4, data, len);
      break;
    case 6:
      decode_layer(ctx, p, Layer::kIpv6, data, len);
      break;
    default:
      decode_fail(ctx, p, DecodeEvent::IPRAW_INVALID_IPV);
  }
}

}  // namespace nsm4
