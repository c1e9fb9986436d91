// Linux cooked capture v1 (DLT 113, "any" interface): a 16-byte header whose
// last two bytes hold the ethertype.
#include "decode/decoders.h"

namespace nsm4 {

namespace {
constexpr uint32_t kSllHeaderLen = 16;
constexpr uint32_t kSllProtocolOffset = 14;
}  // namespace

void decode_sll(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kSllHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::SLL_PKT_TOO_SMALL);
    return;
  }
  decode_ethertype(ctx, p, rd16(data + kSllProtocolOffset), data + kSllHeaderLen,
                   len - kSllHeaderLen);
}

}  // namespace nsm4
