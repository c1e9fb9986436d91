// Ethernet II (DLT 1, and the inner frame of GRE/VXLAN/Geneve bridging).
#include <cstring>

#include "decode/decoders.h"

namespace nsm4 {

namespace {
constexpr uint32_t kEthHeaderLen = 14;
}

void decode_ethernet(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kEthHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::ETH_PKT_TOO_SMALL);
    return;
  }
  const uint16_t type = rd16(data + 12);
  // EVE's ether object and the flow's MAC addresses describe the outermost
  // frame; an Ethernet frame inside a tunnel keeps them.
  if (!p.has_eth) {
    p.has_eth = true;
    std::memcpy(p.eth_dst, data, 6);
    std::memcpy(p.eth_src, data + 6, 6);
    p.eth_type = type;
  }
  decode_ethertype(ctx, p, type, data + kEthHeaderLen, len - kEthHeaderLen);
}

}  // namespace nsm4
