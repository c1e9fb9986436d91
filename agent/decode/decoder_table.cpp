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

// Lookups built once from the table, so that dispatch on the packet path is
// an array index instead of a scan over every row. Where a value appears in
// two rows, the first row wins, as a scan in table order would give.
struct Dispatch {
  static constexpr auto kNone = static_cast<uint8_t>(Layer::kCount);
  // Link types below this index the array directly; others are scanned.
  static constexpr int kDatalinkSlots = 512;
  // Open addressing with linear probing over a few ethertypes.
  static constexpr int kEthertypeBits = 6;
  static constexpr uint32_t kEthertypeMask = (1u << kEthertypeBits) - 1;
  struct EthertypeSlot {
    uint16_t type = 0;
    uint8_t layer = kNone;
  };

  std::array<uint8_t, 256> by_ip_proto{};
  std::array<uint8_t, kDatalinkSlots> by_datalink{};
  std::array<EthertypeSlot, 1u << kEthertypeBits> by_ethertype{};

  static uint32_t ethertype_home(uint16_t type) {
    return (type * 0x9e3779b1u) >> (32 - kEthertypeBits);
  }

  Dispatch() {
    by_ip_proto.fill(kNone);
    by_datalink.fill(kNone);
    for (const auto& d : kDecoders) {
      auto layer = static_cast<uint8_t>(d.layer);
      for (uint8_t proto : d.ip_protos)
        if (by_ip_proto[proto] == kNone) by_ip_proto[proto] = layer;
      for (int dlt : d.datalinks)
        if (dlt >= 0 && dlt < kDatalinkSlots && by_datalink[dlt] == kNone) by_datalink[dlt] = layer;
      for (uint16_t type : d.ethertypes) {
        uint32_t i = ethertype_home(type);
        while (by_ethertype[i].layer != kNone && by_ethertype[i].type != type)
          i = (i + 1) & kEthertypeMask;
        if (by_ethertype[i].layer == kNone) by_ethertype[i] = {type, layer};
      }
    }
  }

  uint8_t ethertype(uint16_t type) const {
    for (uint32_t i = ethertype_home(type);; i = (i + 1) & kEthertypeMask) {
      const EthertypeSlot& s = by_ethertype[i];
      if (s.layer == kNone || s.type == type) return s.layer;
    }
  }
};
static_assert(kDecoders.size() < Dispatch::kEthertypeMask, "ethertype table needs an empty slot");
const Dispatch kDispatch;

std::optional<Layer> as_layer(uint8_t l) {
  if (l == Dispatch::kNone) return std::nullopt;
  return static_cast<Layer>(l);
}
}  // namespace

std::span<const DecoderInfo> decoder_table() {
  return kDecoders;
}
const DecoderInfo& decoder_for(Layer l) {
  return kDecoders[static_cast<size_t>(l)];
}
std::string_view layer_name(Layer l) {
  return l < Layer::kCount ? kDecoders[static_cast<size_t>(l)].name : "none";
}

std::optional<Layer> layer_for_datalink(int dlt) {
  if (dlt >= 0 && dlt < Dispatch::kDatalinkSlots) return as_layer(kDispatch.by_datalink[dlt]);
  for (const auto& d : kDecoders)
    for (int v : d.datalinks)
      if (v == dlt) return d.layer;
  return std::nullopt;
}

std::optional<Layer> layer_for_ethertype(uint16_t type) {
  return as_layer(kDispatch.ethertype(type));
}

std::optional<Layer> layer_for_ip_proto(uint8_t proto) {
  return as_layer(kDispatch.by_ip_proto[proto]);
}

// The hand-on helpers live beside the table so that their dispatch is an
// array index the compiler can see, not a call per layer.
void decode_layer(DecodeContext& ctx, Packet& p, Layer l, const uint8_t* data, uint32_t len) {
  if (ctx.depth >= ctx.config().max_layers) {
    ++ctx.stats().too_many_layers;
    decode_fail(ctx, p, DecodeEvent::TOO_MANY_LAYERS);
    return;
  }
  // The first layer decoded after a tunnel was entered starts the inner frame.
  if (p.tunnel_depth != ctx.inner_mark) {
    ctx.inner_mark = p.tunnel_depth;
    if (data >= p.data && data <= p.data + p.caplen)
      p.outer_hdr_len = static_cast<uint32_t>(data - p.data);
  }
  ++ctx.depth;
  ++ctx.stats().layers[static_cast<size_t>(l)];
  kDecoders[static_cast<size_t>(l)].fn(ctx, p, data, len);
  --ctx.depth;
}

void decode_ethertype(DecodeContext& ctx, Packet& p, uint16_t ethertype, const uint8_t* data,
                      uint32_t len) {
  uint8_t l = kDispatch.ethertype(ethertype);
  if (l != Dispatch::kNone) decode_layer(ctx, p, static_cast<Layer>(l), data, len);
  // Other ethertypes (ARP, LLDP, ...) are valid frames nsm4 does not inspect.
}

void decode_ip_proto(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data,
                     uint32_t len) {
  uint8_t l = kDispatch.by_ip_proto[proto];
  if (l != Dispatch::kNone) decode_layer(ctx, p, static_cast<Layer>(l), data, len);
  // Unknown upper protocols still form flows on the IP pair and protocol.
}

}  // namespace nsm4
