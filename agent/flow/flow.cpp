#include "flow/flow.h"

#include <cstring>
#include <utility>

namespace nsm4 {

const char* tcp_state_name(TcpState s) {
  switch (s) {
    case TcpState::kNone:
      return "none";
    case TcpState::kSynSent:
      return "syn_sent";
    case TcpState::kSynRecv:
      return "syn_recv";
    case TcpState::kEstablished:
      return "established";
    case TcpState::kFinWait1:
      return "fin_wait1";
    case TcpState::kFinWait2:
      return "fin_wait2";
    case TcpState::kTimeWait:
      return "time_wait";
    case TcpState::kLastAck:
      return "last_ack";
    case TcpState::kCloseWait:
      return "close_wait";
    case TcpState::kClosing:
      return "closing";
    case TcpState::kClosed:
      return "closed";
  }
  return "unknown";
}

const char* flow_state_name(FlowState s) {
  switch (s) {
    case FlowState::kNew:
      return "new";
    case FlowState::kEstablished:
      return "established";
    case FlowState::kClosed:
      return "closed";
  }
  return "unknown";
}

const char* flow_end_reason_name(FlowEndReason r) {
  switch (r) {
    case FlowEndReason::kTimeout:
      return "timeout";
    case FlowEndReason::kForced:
      return "forced";
    case FlowEndReason::kShutdown:
      return "shutdown";
    case FlowEndReason::kTcpReuse:
      return "tcp_reuse";
  }
  return "unknown";
}

void swap_direction(Flow& f) {
  std::swap(f.key.src, f.key.dst);
  std::swap(f.key.sport, f.key.dport);
  std::swap(f.toserver, f.toclient);
  std::swap(f.client_isn, f.server_isn);
  std::swap(f.client_fin_seq, f.server_fin_seq);
  auto swap_bits = [&](uint8_t a, uint8_t b) {
    const bool ha = f.tcp_bits & a, hb = f.tcp_bits & b;
    f.tcp_bits = static_cast<uint8_t>(f.tcp_bits & ~(a | b));
    if (ha) f.tcp_bits |= b;
    if (hb) f.tcp_bits |= a;
  };
  swap_bits(kTcpClientFinSeen, kTcpServerFinSeen);
  swap_bits(kTcpClientFinAcked, kTcpServerFinAcked);
  uint8_t macs[Flow::kMaxMacs][6];
  std::memcpy(macs, f.src_macs, sizeof macs);
  std::memcpy(f.src_macs, f.dst_macs, sizeof macs);
  std::memcpy(f.dst_macs, macs, sizeof macs);
  const uint8_t n = f.src_mac_count;
  f.src_mac_count = f.dst_mac_count;
  f.dst_mac_count = n;
}

}  // namespace nsm4
