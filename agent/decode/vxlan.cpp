// VXLAN (RFC 7348): called by the UDP decoder for the configured port
// (DecodeConfig::vxlan_port) with the UDP payload.
#include "decode/decoders.h"
#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr uint32_t kVxlanHeaderLen = 8;
constexpr uint32_t kEthHeaderLen = 14;
constexpr uint8_t kFlagVniValid = 0x08;  // the I flag

bool inner_type_supported(uint16_t type) {
  switch (type) {
    case 0x0800:  // IPv4
    case 0x86dd:  // IPv6
    case 0x0806:  // ARP
    case 0x8100:  // 802.1Q
    case 0x88a8:  // 802.1ad
    case 0x9100:  // QinQ
      return true;
    default:
      return false;
  }
}
}  // namespace

void decode_vxlan(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  // Not VXLAN after all (Suricata's test: room for the header and an inner
  // Ethernet header, I flag set, last reserved octet zero): the packet is
  // left untouched and stays a plain UDP packet.
  if (!ctx.config().vxlan || len < kVxlanHeaderLen + kEthHeaderLen || !(data[0] & kFlagVniValid) ||
      data[7] != 0)
    return;
  const uint8_t* eth = data + kVxlanHeaderLen;
  if (!inner_type_supported(rd16(eth + 12))) {
    // Reported, but the packet stays usable as the outer UDP packet.
    decode_event(ctx, p, DecodeEvent::VXLAN_UNKNOWN_PAYLOAD_TYPE);
    return;
  }
  enter_tunnel(p);
  decode_layer(ctx, p, Layer::kEthernet, eth, len - kVxlanHeaderLen);
}

}  // namespace nsm4
