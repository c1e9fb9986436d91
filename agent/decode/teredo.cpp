// Teredo (RFC 4380): IPv6 in UDP, called by the UDP decoder for the
// configured port (DecodeConfig::teredo_port) with the UDP payload.
//
// Nothing in a Teredo packet proves it is one, so, like Suricata, the payload
// is decoded as a tunnel only when it really looks like IPv6, and when the
// inner packet then turns out undecodable the Packet is restored: in both
// cases it stays the plain UDP packet it was.
#include "decode/decoders.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr uint32_t kIpv6HeaderLen = 40;
constexpr uint32_t kOriginIndicationLen = 8;
constexpr uint32_t kAuthFixedLen = 13;  // 00 01, id-len, au-len, nonce(8), confirmation

// Offset of the IPv6 header after the optional authentication and origin
// indication headers, or -1 when the payload is not a Teredo data packet.
int64_t ipv6_offset(const uint8_t* data, uint32_t len) {
  uint32_t off = 0;
  if (len >= 2 && data[0] == 0 && data[1] == 1) {
    if (len < kAuthFixedLen) return -1;
    off = kAuthFixedLen + data[2] + data[3];  // client id and authentication value
  }
  if (off + 2 <= len && data[off] == 0 && data[off + 1] == 0) off += kOriginIndicationLen;
  if (off > len || len - off < kIpv6HeaderLen) return -1;
  return off;
}

// Suricata's checks: version 6, a non-zero hop limit (0 is a sign of a
// misdetection), a hop-by-hop header with room for itself, and a payload
// length that accounts for exactly the bytes that are left.
bool looks_like_ipv6(const uint8_t* ip6, uint32_t len) {
  if (ip6[0] >> 4 != 6) return false;
  if (ip6[7] == 0) return false;
  const uint32_t plen = rd16(ip6 + 4);
  if (ip6[6] == 0 && plen < 8) return false;
  return len == kIpv6HeaderLen + plen;
}
}  // namespace

void decode_teredo(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (!ctx.config().teredo) return;
  const int64_t off = ipv6_offset(data, len);
  if (off < 0) return;
  const uint8_t* ip6 = data + off;
  const uint32_t ip6_len = len - static_cast<uint32_t>(off);
  if (!looks_like_ipv6(ip6, ip6_len)) return;

  const Packet outer = p;
  enter_tunnel(p);
  decode_layer(ctx, p, Layer::kIpv6, ip6, ip6_len);
  if (p.invalid) p = outer;  // the inner anomalies stay counted in the stats
}

}  // namespace nsm4
