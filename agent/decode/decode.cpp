#include "decode/decoder.h"

namespace nsm4 {

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
