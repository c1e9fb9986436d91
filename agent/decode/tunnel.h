#pragma once
// Helpers for decoders that hand an encapsulated packet on (IP-in-IP, 6in4,
// GRE, VXLAN, Geneve, Teredo). nsm4 keeps one Packet per frame and the inner
// headers overwrite the outer ones, so flows and rules see the innermost
// packet; outer layers are only counted in tunnel_depth.
#include "decode/packet.h"

namespace nsm4 {

// Clears the fields that describe one IP header and its transport, before a
// new (inner) IP header is decoded, so that nothing of an outer layer leaks
// into the inner one when the inner lacks that layer.
inline void clear_ip_layers(Packet& p) {
  p.ip_opts = 0;
  p.ipv6_exthdrs = 0;
  p.ipv6_rh_type = 0xff;
  p.ipv6_flow_label = 0;
  p.is_fragment = false;
  p.frag_more = false;
  p.frag_df = false;
  p.frag_rf = false;
  p.frag_offset = 0;
  p.frag_id = 0;
  p.frag_next_hdr = 0;
  p.frag_unfrag_len = 0;
  p.l4 = Layer::kCount;
  p.l4_hdr = nullptr;
  p.l4_hdr_len = 0;
  p.sport = 0;
  p.dport = 0;
  p.tcp_flags = 0;
  p.icmp_type = 0;
  p.icmp_code = 0;
  p.payload = nullptr;
  p.payload_len = 0;
  p.ip_id = 0;
}

// Call just before decoding the inner packet: counts the tunnel, remembers the
// outermost IP layer (the tunnel's own flow) and clears the per-layer fields.
inline void enter_tunnel(Packet& p) {
  if (p.tunnel_depth++ == 0) {
    auto& o = p.outer;
    o.ip_version = p.ip_version;
    o.ip_proto = p.ip_proto;
    o.l4 = p.l4;
    o.src = p.src;
    o.dst = p.dst;
    o.sport = p.sport;
    o.dport = p.dport;
    o.tcp_flags = p.tcp_flags;
  }
  clear_ip_layers(p);
}

// The packet as its outermost IP layer (the tunnel itself), for the flow the
// tunnel forms. Only for packets with tunnel_depth > 0.
inline Packet outer_packet(const Packet& p) {
  Packet o = p;
  const auto& t = p.outer;
  o.ip_version = t.ip_version;
  o.ip_proto = t.ip_proto;
  o.l4 = t.l4;
  o.src = t.src;
  o.dst = t.dst;
  o.sport = t.sport;
  o.dport = t.dport;
  o.tcp_flags = t.tcp_flags;
  o.icmp_type = 0;
  o.icmp_code = 0;
  o.tunnel_depth = 0;
  o.outer_hdr_len = 0;
  o.is_fragment = false;
  o.event_count = 0;
  o.payload = nullptr;
  o.payload_len = 0;
  return o;
}

}  // namespace nsm4
