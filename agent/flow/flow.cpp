#include "flow/flow.h"

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

}  // namespace nsm4
