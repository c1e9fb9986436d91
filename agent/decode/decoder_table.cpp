#include <array>

#include "decode/decoders.h"

namespace nsm4 {

namespace {
// pcap link types (DLT_*/LINKTYPE_*).
constexpr int kDltNull[] = {0};
constexpr int kDltEthernet[] = {1};
constexpr int kDltRaw[] = {12, 14, 101};  // DLT_RAW on its various platforms
constexpr int kDltSll[] = {113};
constexpr int kDltSll2[] = {276};
constexpr int kDltIpv4[] = {228};
constexpr int kDltIpv6[] = {229};

constexpr uint16_t kEthVlan[] = {0x8100, 0x88a8, 0x9100};
constexpr uint16_t kEthIpv4[] = {0x0800};
constexpr uint16_t kEthIpv6[] = {0x86dd};
constexpr uint16_t kEthTransparentBridging[] = {0x6558};  // GRE / Geneve inner Ethernet

constexpr uint8_t kProtoIpv4[] = {4};
constexpr uint8_t kProtoIpv6[] = {41};
constexpr uint8_t kProtoGre[] = {47};
constexpr uint8_t kProtoTcp[] = {6};
constexpr uint8_t kProtoUdp[] = {17};
constexpr uint8_t kProtoSctp[] = {132};
constexpr uint8_t kProtoIcmp[] = {1};
constexpr uint8_t kProtoIcmpv6[] = {58};

// Rows in Layer order; decoder_for() indexes by Layer.
constexpr std::array<DecoderInfo, static_cast<size_t>(Layer::kCount)> kDecoders = {{
    {Layer::kEthernet, "ethernet", decode_ethernet, kDltEthernet, kEthTransparentBridging, {}},
    {Layer::kVlan, "vlan", decode_vlan, {}, kEthVlan, {}},
    {Layer::kSll, "sll", decode_sll, kDltSll, {}, {}},
    {Layer::kSll2, "sll2", decode_sll2, kDltSll2, {}, {}},
    {Layer::kNull, "null", decode_null, kDltNull, {}, {}},
    {Layer::kRaw, "raw", decode_raw, kDltRaw, {}, {}},
    {Layer::kIpv4, "ipv4", decode_ipv4, kDltIpv4, kEthIpv4, kProtoIpv4},
    {Layer::kIpv6, "ipv6", decode_ipv6, kDltIpv6, kEthIpv6, kProtoIpv6},
    {Layer::kGre, "gre", decode_gre, {}, {}, kProtoGre},
    {Layer::kVxlan, "vxlan", decode_vxlan, {}, {}, {}},
    {Layer::kGeneve, "geneve", decode_geneve, {}, {}, {}},
    {Layer::kTeredo, "teredo", decode_teredo, {}, {}, {}},
    {Layer::kTcp, "tcp", decode_tcp, {}, {}, kProtoTcp},
    {Layer::kUdp, "udp", decode_udp, {}, {}, kProtoUdp},
    {Layer::kSctp, "sctp", decode_sctp, {}, {}, kProtoSctp},
    {Layer::kIcmpv4, "icmpv4", decode_icmpv4, {}, {}, kProtoIcmp},
    {Layer::kIcmpv6, "icmpv6", decode_icmpv6, {}, {}, kProtoIcmpv6},
}};

constexpr bool table_in_layer_order() {
  for (size_t i = 0; i < kDecoders.size(); ++i)
    if (static_cast<size_t>(kDecoders[i].layer) != i) return false;
  return true;
}
static_assert(table_in_layer_order(), "kDecoders rows must follow the Layer enum");

// Lookup arrays built once from the table.
struct Dispatch {
  std::array<uint8_t, 256> by_ip_proto{};
  Dispatch() {
    by_ip_proto.fill(static_cast<uint8_t>(Layer::kCount));
    for (const auto& d : kDecoders)
      for (uint8_t proto : d.ip_protos) by_ip_proto[proto] = static_cast<uint8_t>(d.layer);
  }
};
const Dispatch kDispatch;
}  // namespace

std::span<const DecoderInfo> decoder_table() { return kDecoders; }
const DecoderInfo& decoder_for(Layer l) { return kDecoders[static_cast<size_t>(l)]; }
std::string_view layer_name(Layer l) {
  return l < Layer::kCount ? kDecoders[static_cast<size_t>(l)].name : "none";
}

std::optional<Layer> layer_for_datalink(int dlt) {
  for (const auto& d : kDecoders)
    for (int v : d.datalinks)
      if (v == dlt) return d.layer;
  return std::nullopt;
}

std::optional<Layer> layer_for_ethertype(uint16_t type) {
  for (const auto& d : kDecoders)
    for (uint16_t v : d.ethertypes)
      if (v == type) return d.layer;
  return std::nullopt;
}

std::optional<Layer> layer_for_ip_proto(uint8_t proto) {
  auto l = static_cast<Layer>(kDispatch.by_ip_proto[proto]);
  if (l == Layer::kCount) return std::nullopt;
  return l;
}

}  // namespace nsm4
