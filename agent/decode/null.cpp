// BSD loopback (DLT 0): a 4-byte address family in the byte order of the host
// that wrote the capture, then an IP packet.
#include "decode/decoders.h"

namespace nsm4 {

namespace {
constexpr uint32_t kNullHeaderLen = 4;
constexpr uint32_t kAfInet = 2;

// AF_INET6 differs between systems: 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD,
// DragonFly), 30 (macOS), and Suricata also accepts 26 (Solaris) and
// 23 (Winsock).
bool is_af_inet6(uint32_t family) {
  return family == 24 || family == 28 || family == 30 || family == 26 || family == 23;
}
}  // namespace

void decode_null(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kNullHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::NULL_PKT_TOO_SMALL);
    return;
  }
  // Families are small numbers: a value with high bits set was written by a
  // host of the other byte order.
  uint32_t family = static_cast<uint32_t>(data[0]) | static_cast<uint32_t>(data[1]) << 8 |
                    static_cast<uint32_t>(data[2]) << 16 | static_cast<uint32_t>(data[3]) << 24;
  if (family > 0xffff) family = rd32(data);
  const uint8_t* ip = data + kNullHeaderLen;
  const uint32_t ip_len = len - kNullHeaderLen;
  if (family == kAfInet) {
    decode_layer(ctx, p, Layer::kIpv4, ip, ip_len);
  } else if (is_af_inet6(family)) {
    decode_layer(ctx, p, Layer::kIpv6, ip, ip_len);
  } else {
    decode_fail(ctx, p, DecodeEvent::NULL_UNSUPPORTED_TYPE);
  }
}

}  // namespace nsm4
