// Linux cooked capture v2 (DLT 276): a 20-byte header whose first two bytes
// hold the ethertype.
#include "decode/decoders.h"

namespace nsm4 {

namespace {
constexpr uint32_t kSll2HeaderLen = 20;
}

void decode_sll2(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kSll2HeaderLen) {
    decode_fail(ctx, p, DecodeEvent::SLL2_PKT_TOO_SMALL);
    return;
  }
  decode_ethertype(ctx, p, rd16(data), data + kSll2HeaderLen, len - kSll2HeaderLen);
}

}  // namespace nsm4
