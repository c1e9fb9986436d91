// UDP (RFC 768): header, length checks (as Suricata's decode-udp.c), payload
// view, optional checksum, then the UDP-carried tunnels by port.
#include "decode/checksum.h"
#include "decode/decoders.h"

namespace nsm4 {

namespace {

constexpr uint32_t kUdpHeaderLen = 8;
constexpr uint8_t kProtoUdp = 17;

void check_checksum(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  const uint16_t stored = rd16(data + 6);
  uint32_t pseudo = 0;
  if (p.ip_version == 4) {
    if (stored == 0) return;  // IPv4 senders may omit the checksum
    pseudo = pseudo_header_sum_v4(p, kProtoUdp, len);
  } else if (p.ip_version == 6 && !(p.ipv6_exthdrs & kExtRouting)) {
    pseudo = pseudo_header_sum_v6(p, kProtoUdp, len);  // zero is invalid over IPv6
  } else {
    return;  // no IP header, or the final destination hides in a routing header
  }
  const bool ok = stored != 0 && inet_checksum(data, len, pseudo) == 0;
  ctx.note_checksum_result(ok);
  if (!ok) decode_event(ctx, p, DecodeEvent::UDP_CHECKSUM_INVALID);
}

// Tunnels a UDP port announces. Each tunnel decoder overwrites the packet's
// IP and transport fields with the inner packet's when it decodes one.
void decode_udp_tunnels(DecodeContext& ctx, Packet& p) {
  const DecodeConfig& cfg = ctx.config();
  const uint8_t* payload = p.payload;
  const uint32_t len = p.payload_len;
  const uint8_t* outer_ip = p.ip_hdr;
  // Teredo's decoder leaves the packet untouched when the payload is not
  // IPv6; then the other tunnels still get their chance, as in Suricata.
  if (cfg.teredo && (p.sport == cfg.teredo_port || p.dport == cfg.teredo_port)) {
    decode_layer(ctx, p, Layer::kTeredo, payload, len);
    if (p.ip_hdr != outer_ip || p.invalid) return;
  }
  if (cfg.geneve && p.dport == cfg.geneve_port) {
    decode_layer(ctx, p, Layer::kGeneve, payload, len);
  } else if (cfg.vxlan && p.dport == cfg.vxlan_port) {
    decode_layer(ctx, p, Layer::kVxlan, payload, len);
  }
}

}  // namespace

void decode_udp(DecodeContext& ctx, Packet& p, const uint8_t* data, uint32_t len) {
  if (len < kUdpHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::UDP_HLEN_TOO_SMALL);
    return;
  }
  const uint32_t udp_len = rd16(data + 4);
  if (len < udp_len) {
    decode_fail(ctx, p, DecodeEvent::UDP_PKT_TOO_SMALL);
    return;
  }
  if (udp_len < kUdpHeaderLen) {
    decode_fail(ctx, p, DecodeEvent::UDP_LEN_INVALID);
    return;
  }
  // A UDP length below the IP payload length is accepted (the datagram ends
  // at udp_len), as current Suricata does; UDP_HLEN_INVALID is not raised.

  p.l4 = Layer::kUdp;
  p.l4_hdr = data;
  p.l4_hdr_len = kUdpHeaderLen;
  p.sport = rd16(data);
  p.dport = rd16(data + 2);
  p.payload = data + kUdpHeaderLen;
  p.payload_len = udp_len - kUdpHeaderLen;

  if (ctx.validate_checksums()) check_checksum(ctx, p, data, udp_len);
  decode_udp_tunnels(ctx, p);
}

}  // namespace nsm4
