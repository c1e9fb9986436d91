#pragma once
// Helpers for decoders that hand an encapsulated packet on (IP-in-IP, 6in4,
// GRE, VXLAN, Geneve, Teredo). nsm4 keeps one Packet per frame and the inner
// headers overwrite the outer ones, so flows and rules see the innermost
// packet; outer layers are only counted in tunnel_depth.
#include "decode/packet.h"

namespace nsm4 {

// Call just before decoding the inner packet: counts the tunnel and clears the
// fields that describe one IP header or its transport, so that nothing of the
// outer packet leaks into the inner one when the inner lacks that layer.
inline void enter_tunnel(Packet& p) {
  ++p.tunnel_depth;
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
}

}  // namespace nsm4
