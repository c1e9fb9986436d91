#pragma once
// One bidirectional flow: plain values, owned by the worker's FlowTable.
#include <array>
#include <cstdint>

#include "decode/packet.h"

namespace nsm4 {

// TCP connection state as Suricata names it in EVE (tcp.state).
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
enum class FlowEndReason : uint8_t { kTimeout, kForced, kShutdown };
const char* flow_end_reason_name(FlowEndReason r);

// Application protocol detected on the flow (set by app/ from issue 4 on).
using AppProto = uint8_t;
inline constexpr AppProto kAppProtoUnknown = 0;

struct FlowKey {
  IpAddr src;  // the initiator ("client") side
  IpAddr dst;
  uint16_t sport = 0;  // for ICMP: 0 (type/code live in the flow)
  uint16_t dport = 0;
  uint8_t proto = 0;
  uint8_t vlan_count = 0;
  std::array<uint16_t, 3> vlan{};
  bool operator==(const FlowKey&) const = default;
};

struct FlowDirStats {
  uint64_t pkts = 0;
  uint64_t bytes = 0;  // wire bytes, link layer included (as Suricata counts)
  uint8_t tcp_flags = 0;
};

struct Flow {
  FlowKey key;
  uint64_t flow_id = 0;  // stable across runs and worker counts
  Timestamp start;
  Timestamp last_seen;
  FlowDirStats toserver;
  FlowDirStats toclient;
  FlowState state = FlowState::kNew;
  TcpState tcp_state = TcpState::kNone;
  bool tcp_tracked = false;  // the stream engine follows this flow (SYN seen, or midstream on)
  bool alerted = false;
  AppProto app_proto = kAppProtoUnknown;
  uint8_t ip_version = 0;
  uint8_t icmp_type = 0;  // first ICMP type/code seen toserver
  uint8_t icmp_code = 0;
  bool has_response_icmp = false;
  uint8_t response_icmp_type = 0;
  uint8_t response_icmp_code = 0;
  bool has_eth = false;
  uint8_t src_mac[6] = {};  // first Ethernet source seen toserver
  uint8_t dst_mac[6] = {};
  // TCP sequence tracking for the state machine.
  uint32_t client_isn = 0;
  uint32_t server_isn = 0;
  uint32_t client_fin_seq = 0;
  uint32_t server_fin_seq = 0;
  uint8_t timeout_class = 0;  // FlowTable bookkeeping
  // Intrusive list links for the FlowTable's timeout lists.
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;
};

}  // namespace nsm4
