// 802.1Q, 802.1ad and QinQ (0x8100, 0x88a8, 0x9100) tags, up to three deep.
#include <optional>

#include "decode/decoders.h"

namespace nsm4 {

std::optional<Layer> layer_for_ethertype(uint16_t type);  // decoder_table.cpp

namespace {
constexpr uint32_t kVlanHeaderLen = 4;

// Ethertypes Suricata knows after a tag although nsm4 does not decode them;
// anything else after a tag raises VLAN_UNKNOWN_TYPE as in Suricata.
bool known_but_not_decoded(uint16_t type) {
  switch (type) {
    case 0x0806:  // ARP
    case 0x8863:  // PPPoE discovery
    case 0x8864:  // PPPoE session
    case 0x8847:  // MPLS unicast
    case 0x8848:  // MPLS multicast
    case 0x8903:  // Cisco DCE
    case 0x8926:  // VN-Tag
    case 0x893f:  // E-Tag
    case 0x894f:  // NSH
      return true;
    default:
      return false;
  }
}
}  // namespace

void decode_vlan(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kVlanHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::VLAN_HEADER_TOO_SMALL);
    return;
  }
  if (p.vlan_count >= p.vlan.size()) {
    decode_fail(ctx, p, DecodeEvent::VLAN_TOO_MANY_LAYERS);
    return;
  }
  p.vlan[p.vlan_count++] = rd16(data) & 0x0fff;
  const uint16_t type = rd16(data + 2);
  if (!layer_for_ethertype(type) && !known_but_not_decoded(type)) {
    decode_event(ctx, p, DecodeEvent::VLAN_UNKNOWN_TYPE);
    return;
  }
  decode_ethertype(ctx, p, type, data + kVlanHeaderLen, len - kVlanHeaderLen);
}

}  // namespace nsm4
