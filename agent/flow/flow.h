#pragma once
// One bidirectional flow: plain values, owned by the worker's FlowTable.
#include <array>
#include <cstdint>

#include "decode/packet.h"

namespace nsm4 {

// TCP connection state as Suricata names it in EVE (tcp.state). As in
// Suricata, a FIN from the client leads to close_wait (-> last_ack -> closed)
// and a FIN from the server to fin_wait1 (-> fin_wait2 / closing -> time_wait
// -> closed).
enum class TcpState : uint8_t {
  kNone,
  kSynSent,
  kSynRecv,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kTimeWait,
  kLastAck,
  kCloseWait,
  kClosing,
  kClosed,
};
const char* tcp_state_name(TcpState s);  // "syn_sent", "established", ...

// Flow state as EVE's flow.state: new, established, closed.
enum class FlowState : uint8_t { kNew, kEstablished, kClosed };
const char* flow_state_name(FlowState s);

// Why a flow record was written (flow.reason).
enum class FlowEndReason : uint8_t {
  kTimeout,
  kForced,    // emergency eviction under the memory cap
  kShutdown,  // end of capture / agent stop
  kTcpReuse,  // a new SYN reused the 5-tuple of a finished TCP session
};
const char* flow_end_reason_name(FlowEndReason r);

// Application protocol detected on the flow (set by app/ from issue 4 on).
using AppProto = uint8_t;
inline constexpr AppProto kAppProtoUnknown = 0;

struct FlowKey {
  IpAddr src;  // the initiator ("client") side
  IpAddr dst;
  // TCP/UDP/SCTP: the ports. ICMP/ICMPv6: the initiator's message type and
  // the type expected in reply (0 when it has none), which is how Suricata
  // tells ICMP flows between two hosts apart; EVE writes no ports for ICMP.
  // Other protocols: 0.
  uint16_t sport = 0;
  uint16_t dport = 0;
  uint8_t proto = 0;
  uint8_t vlan_count : 2 = 0;
  // Tunnel depth of the packet (capped at 63): as Suricata does by default
  // (decoder.recursion-level.use-for-tracking), the same 5-tuple inside and
  // outside a tunnel are two flows. A bit-field to keep Flow compact.
  uint8_t recursion : 6 = 0;
  std::array<uint16_t, 3> vlan{};
  bool operator==(const FlowKey&) const = default;
};

struct FlowDirStats {
  uint64_t pkts = 0;
  uint64_t bytes = 0;     // wire bytes, link layer included (as Suricata counts)
  uint8_t tcp_flags = 0;  // OR of the TCP flags seen in this direction
};

// Bits of Flow::tcp_bits: TCP bookkeeping for the state machine.
enum FlowTcpBits : uint8_t {
  kTcpClientFinSeen = 1 << 0,
  kTcpServerFinSeen = 1 << 1,
  kTcpClientFinAcked = 1 << 2,
  kTcpServerFinAcked = 1 << 3,
  kTcpFourWayHandshake = 1 << 4,  // simultaneous open: SYN answered by SYN
  kTcpMidstream = 1 << 5,         // picked up without seeing the client's SYN
  kTcpSynData = 1 << 6,           // the client's SYN carried data (TCP Fast Open)
};

// Kept compact (see flow_test.cpp): a million of these must fit the agent's
// memory budget. Three cache lines, aligned: the first holds what a lookup
// and the expiry check read (key, state, last_seen), the second the
// per-packet counters and TCP sequence numbers, the third the rest. Small
// fields are bit-fields so that the record is 192 bytes, not 200.
struct alignas(64) Flow {
  FlowKey key;
  FlowState state = FlowState::kNew;
  TcpState tcp_state = TcpState::kNone;
  Timestamp last_seen;
  FlowDirStats toserver;
  FlowDirStats toclient;
  // TCP sequence tracking for the state machine.
  uint32_t client_isn = 0;
  uint32_t server_isn = 0;
  uint32_t client_fin_seq = 0;  // sequence number the client's FIN occupies
  uint32_t server_fin_seq = 0;
  uint64_t flow_id = 0;  // stable across runs and worker counts; < 2^51
  Timestamp start;
  // FlowTable bookkeeping: intrusive timeout-list links (slot indices).
  uint32_t lru_prev = 0;
  uint32_t lru_next = 0;
  uint8_t tcp_bits = 0;  // FlowTcpBits
  AppProto app_proto : 4 = kAppProtoUnknown;
  AppProto app_proto_orig : 4 = kAppProtoUnknown;  // before a protocol change (CONNECT)
  uint8_t icmp_type = 0;                           // first ICMP type/code seen toserver
  uint8_t icmp_code = 0;
  uint8_t response_icmp_type = 0;  // first ICMP type/code seen toclient
  uint8_t response_icmp_code = 0;
  bool tcp_tracked : 1 = false;  // the stream engine follows this flow (SYN seen, or midstream on)
  bool alerted : 1 = false;
  bool has_response_icmp : 1 = false;  // response_icmp_type/code are set
  bool mac_overflow : 1 = false;       // more MACs than kMaxMacs on a side
  // Ethernet addresses seen on the client side (source toserver, destination
  // toclient) and on the server side, in order of appearance, as EVE's
  // ether.src_macs / dest_macs. Two each: a host and, on asymmetric routes,
  // a second router; more are counted in mac_overflow.
  static constexpr int kMaxMacs = 2;
  uint8_t src_mac_count : 2 = 0;
  uint8_t dst_mac_count : 2 = 0;
  uint8_t ip_version : 4 = 0;     // 4 or 6
  uint8_t timeout_class : 4 = 0;  // FlowTable bookkeeping
  uint8_t src_macs[kMaxMacs][6] = {};
  uint8_t dst_macs[kMaxMacs][6] = {};

  uint64_t pkts() const { return toserver.pkts + toclient.pkts; }
};

// The side taken for the client was the server (a session picked up
// midstream, a UDP exchange whose first packet was the answer): swaps the
// two sides of everything direction-bound. flow_id stays.
void swap_direction(Flow& f);

}  // namespace nsm4
