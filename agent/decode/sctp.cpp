#include "decode/decoders.h"

namespace nsm4 {

// PLACEHOLDER: to be replaced by the real decoder.
void decode_sctp(DecodeContext&, Packet&, const uint8_t*, uint32_t) {}

}  // namespace nsm4
