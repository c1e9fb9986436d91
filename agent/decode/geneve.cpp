// Geneve (RFC 8926): called by the UDP decoder for the configured port
// (DecodeConfig::geneve_port) with the UDP payload.
#include "decode/decoders.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr uint32_t kGeneveHeaderLen = 8;
constexpr uint32_t kOptionHeaderLen = 4;

// Options are [class:2][type:1][reserved:3|length:5][data: length*4]; they
// must exactly fill the advertised options area.
bool options_well_formed(const uint8_t* opts, uint32_t len) {
  uint32_t off = 0;
  while (off < len) {
    if (len - off < kOptionHeaderLen) return false;
    const uint32_t opt_len = kOptionHeaderLen + (opts[off + 3] & 0x1fu) * 4;
    if (opt_len > len - off) return false;
    off += opt_len;
  }
  return true;
}

// What the protocol type announces, or kCount when Geneve carries something
// nsm4 does not decode. ARP frames are valid but carry no IP.
bool inner_layer(uint16_t type, Layer& out) {
  switch (type) {
    case 0x0800:
      out = Layer::kIpv4;
      return true;
    case 0x86dd:
      out = Layer::kIpv6;
      return true;
    case 0x6558:
      out = Layer::kEthernet;
      return true;
    case 0x8100:
    case 0x88a8:
    case 0x9100:
      out = Layer::kVlan;
      return true;
    case 0x0806:
      out = Layer::kCount;
      return true;
    default:
      return false;
  }
}
}  // namespace

void decode_geneve(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  // Anything that does not parse as Geneve is left untouched: the packet
  // stays a plain UDP packet.
  if (!ctx.config().geneve || len < kGeneveHeaderLen) return;
  if (data[0] >> 6 != 0) return;  // version
  const uint32_t opts_len = (data[0] & 0x3fu) * 4;
  const uint32_t hlen = kGeneveHeaderLen + opts_len;
  if (len < hlen || !options_well_formed(data + kGeneveHeaderLen, opts_len)) return;

  Layer inner = Layer::kCount;
  if (!inner_layer(rd16(data + 2), inner)) {
    // Reported, but the packet stays usable as the outer UDP packet.
    decode_event(ctx, p, DecodeEvent::GENEVE_UNKNOWN_PAYLOAD_TYPE);
    return;
  }
  if (inner == Layer::kCount) return;
  enter_tunnel(p);
  decode_layer(ctx, p, inner, data + hlen, len - hlen);
}

}  // namespace nsm4
