#include "decode/decoder.h"

namespace nsm4 {

std::optional<Layer> layer_for_ethertype(uint16_t type);
std::optional<Layer> layer_for_ip_proto(uint8_t proto);

void DecodeStats::merge(const DecodeStats& o) {
  pkts += o.pkts;
  bytes += o.bytes;
  invalid += o.invalid;
  ipv4 += o.ipv4;
  ipv6 += o.ipv6;
  bytes_ipv4 += o.bytes_ipv4;
  bytes_ipv6 += o.bytes_ipv6;
  too_many_layers += o.too_many_layers;
  for (size_t i = 0; i < layers.size(); ++i) layers[i] += o.layers[i];
  for (size_t i = 0; i < events.size(); ++i) events[i] += o.events[i];
}

void DecodeContext::note_checksum_result(bool valid) {
  if (config_.checksum != ChecksumMode::kAuto || checksum_seen_ >= 1000) return;
  ++checksum_seen_;
  if (!valid) ++checksum_bad_;
  // Like Suricata's auto mode: after 1000 packets, stop validating when more
  // than one in ten failed (the capture was taken with checksum offloading).
  if (checksum_seen_ == 1000 && checksum_bad_ * 10 > checksum_seen_) checksum_active_ = false;
}

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
  decoder_for(l).fn(ctx, p, data, len);
  --ctx.depth;
}

void decode_ethertype(DecodeContext& ctx, Packet& p, uint16_t ethertype, const uint8_t* data,
                      uint32_t len) {
  if (auto l = layer_for_ethertype(ethertype)) {
    decode_layer(ctx, p, *l, data, len);
  }
  // Other ethertypes (ARP, LLDP, ...) are valid frames nsm4 does not inspect.
}

void decode_ip_proto(DecodeContext& ctx, Packet& p, uint8_t proto, const uint8_t* data,
                     uint32_t len) {
  if (auto l = layer_for_ip_proto(proto)) decode_layer(ctx, p, *l, data, len);
  // Unknown upper protocols still form flows on the IP pair and protocol.
}

void decode_packet(DecodeContext& ctx, Packet& p) {
  auto& st = ctx.stats();
  ++st.pkts;
  st.bytes += p.wirelen;
  ctx.depth = 0;
  ctx.inner_mark = p.tunnel_depth;
  auto first = layer_for_datalink(p.datalink);
  if (!first) {
    p.invalid = true;
    ++st.invalid;
    return;
  }
  decode_layer(ctx, p, *first, p.data, p.caplen);
  if (p.invalid) ++st.invalid;
  if (p.ip_version == 4) {
    ++st.ipv4;
    st.bytes_ipv4 += p.wirelen;
  } else if (p.ip_version == 6) {
    ++st.ipv6;
    st.bytes_ipv6 += p.wirelen;
  }
}

}  // namespace nsm4
