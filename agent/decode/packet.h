#pragma once
// A decoded packet: plain values and views into the capture buffer. Decoders
// fill it layer by layer; nothing here owns payload bytes.
#include <array>
#include <cstdint>

#include "decode/events.h"
#include "decode/ip_addr.h"

namespace nsm4 {

struct Timestamp {
  int64_t sec = 0;
  int32_t usec = 0;
  int64_t micros() const { return sec * 1000000 + usec; }
  auto operator<=>(const Timestamp&) const = default;
};

// Layers a packet can carry, also the keys of the decoder table.
enum class Layer : uint8_t {
  kEthernet,
  kVlan,
  kSll,
  kSll2,
  kNull,
  kRaw,
  kIpv4,
  kIpv6,
  kGre,
  kVxlan,
  kGeneve,
  kTeredo,
  kTcp,
  kUdp,
  kSctp,
  kIcmpv4,
  kIcmpv6,
  kCount
};

// Bits of Packet::ipv6_exthdrs: which IPv6 extension headers were seen.
enum Ipv6ExtBits : uint16_t {
  kExtHopByHop = 1 << 0,
  kExtRouting = 1 << 1,
  kExtFragment = 1 << 2,
  kExtDstOpts = 1 << 3,
  kExtAh = 1 << 4,
  kExtEsp = 1 << 5,
  kExtNone = 1 << 6,  // next header 59
  kExtMobility = 1 << 7,
};

enum TcpFlags : uint8_t {
  kTcpFin = 0x01,
  kTcpSyn = 0x02,
  kTcpRst = 0x04,
  kTcpPsh = 0x08,
  kTcpAck = 0x10,
  kTcpUrg = 0x20,
  kTcpEce = 0x40,
  kTcpCwr = 0x80,
};

// Fields of ICMPv6 Neighbor Discovery messages that IPv6 rules need.
struct NdInfo {
  uint8_t cur_hop_limit = 0;     // RA
  uint8_t ra_flags = 0;          // RA: M (0x80), O (0x40), prf bits
  uint16_t router_lifetime = 0;  // RA, seconds; 0 = "not a default router"
  uint32_t reachable_time = 0;   // RA
  uint32_t retrans_timer = 0;    // RA
  uint32_t na_flags = 0;         // NA: R (0x80000000), S, O
  IpAddr target;                 // NS / NA / Redirect target
  bool has_src_lladdr = false;
  bool has_tgt_lladdr = false;
  uint8_t lladdr[6] = {};
  uint8_t prefix_count = 0;  // RA prefix information options
  uint32_t mtu = 0;          // RA MTU option, 0 when absent
};

struct Packet {
  // Capture.
  uint64_t pcap_cnt = 0;  // 1-based index in the input
  Timestamp ts;
  const uint8_t* data = nullptr;
  uint32_t caplen = 0;
  uint32_t wirelen = 0;
  int datalink = 0;

  // Link layer (outermost Ethernet).
  bool has_eth = false;
  uint8_t eth_src[6] = {};
  uint8_t eth_dst[6] = {};
  uint16_t eth_type = 0;
  uint8_t vlan_count = 0;
  std::array<uint16_t, 3> vlan{};  // outermost first

  // Network layer. For tunnelled packets these describe the innermost IP
  // header, which is what flows and rules see; outer layers are counted.
  uint8_t ip_version = 0;  // 0 = not IP
  IpAddr src;
  IpAddr dst;
  const uint8_t* ip_hdr = nullptr;  // start of innermost IP header
  uint16_t ip_hdr_len = 0;          // IPv4 IHL*4 or IPv6 40 + extension headers
  uint32_t ip_total_len = 0;        // datagram length per the header
  uint8_t ip_proto = 0;             // final upper-layer protocol
  uint8_t ttl = 0;                  // TTL or hop limit
  uint8_t tos = 0;                  // TOS or traffic class
  uint16_t ip_id = 0;               // IPv4 id (low 16 bits of IPv6 frag id)
  uint32_t ipv6_flow_label = 0;
  uint16_t ip_opts = 0;         // IPv4 option bits (Ipv4OptBits, decode/ipv4_options.h)
  uint16_t ipv6_exthdrs = 0;    // Ipv6ExtBits
  uint8_t ipv6_rh_type = 0xff;  // routing header type, 0xff = none
  uint8_t tunnel_depth = 0;     // IP-in-IP / GRE / VXLAN layers above the innermost IP
  // Tunnelled packets (tunnel_depth > 0): the outermost IP layer, which forms
  // a flow of its own as in Suricata, and the bytes of encapsulation before
  // the innermost frame (the inner flow counts wirelen - outer_hdr_len bytes).
  struct OuterLayer {
    uint8_t ip_version = 0;
    uint8_t ip_proto = 0;
    Layer l4 = Layer::kCount;
    IpAddr src;
    IpAddr dst;
    uint16_t sport = 0;
    uint16_t dport = 0;
    uint8_t tcp_flags = 0;
  } outer;
  uint32_t outer_hdr_len = 0;

  // Fragmentation (of the innermost IP header).
  bool is_fragment = false;
  bool frag_more = false;    // MF
  bool frag_df = false;      // IPv4 DF
  bool frag_rf = false;      // IPv4 reserved bit
  uint16_t frag_offset = 0;  // in bytes
  uint32_t frag_id = 0;
  uint8_t frag_next_hdr = 0;     // IPv6: protocol after the fragment header
  uint16_t frag_unfrag_len = 0;  // IPv6: bytes before the fragment header (IP + ext)
  bool reassembled = false;      // this packet is a rebuilt datagram

  // Transport layer.
  Layer l4 = Layer::kCount;  // kTcp, kUdp, kSctp, kIcmpv4, kIcmpv6 or kCount (none)
  const uint8_t* l4_hdr = nullptr;
  uint16_t l4_hdr_len = 0;
  uint16_t sport = 0;
  uint16_t dport = 0;
  uint8_t tcp_flags = 0;
  uint32_t tcp_seq = 0;
  uint32_t tcp_ack = 0;
  uint16_t tcp_window = 0;
  uint8_t tcp_wscale = 0xff;  // 0xff = option absent
  uint16_t tcp_mss = 0;
  bool tcp_sack_permitted = false;
  bool tcp_has_timestamp = false;
  uint32_t tcp_tsval = 0;
  uint32_t tcp_tsecr = 0;
  bool tcp_has_tfo = false;
  uint8_t icmp_type = 0;
  uint8_t icmp_code = 0;
  uint16_t icmp_id = 0;
  uint16_t icmp_seq = 0;
  NdInfo nd;  // ICMPv6 NDP (types 133-137)

  const uint8_t* payload = nullptr;
  uint32_t payload_len = 0;

  // Anomalies found while decoding, in order (the first kMaxEvents kept).
  static constexpr int kMaxEvents = 8;
  std::array<DecodeEvent, kMaxEvents> events{};
  uint8_t event_count = 0;
  bool invalid = false;  // a layer could not be decoded; no flow for this packet

  void add_event(DecodeEvent e) {
    if (event_count < kMaxEvents) events[event_count++] = e;
  }
  bool has_event(DecodeEvent e) const {
    for (int i = 0; i < event_count; ++i)
      if (events[i] == e) return true;
    return false;
  }
  bool has_ports() const { return l4 == Layer::kTcp || l4 == Layer::kUdp || l4 == Layer::kSctp; }
};

}  // namespace nsm4
