#include "flow/flow.h"

#include <gtest/gtest.h>

#include <string>

namespace nsm4 {
namespace {

TEST(Flow, StateNamesAreSuricatas) {
  EXPECT_STREQ(tcp_state_name(TcpState::kNone), "none");
  EXPECT_STREQ(tcp_state_name(TcpState::kSynSent), "syn_sent");
  EXPECT_STREQ(tcp_state_name(TcpState::kSynRecv), "syn_recv");
  EXPECT_STREQ(tcp_state_name(TcpState::kEstablished), "established");
  EXPECT_STREQ(tcp_state_name(TcpState::kFinWait1), "fin_wait1");
  EXPECT_STREQ(tcp_state_name(TcpState::kFinWait2), "fin_wait2");
  EXPECT_STREQ(tcp_state_name(TcpState::kTimeWait), "time_wait");
  EXPECT_STREQ(tcp_state_name(TcpState::kLastAck), "last_ack");
  EXPECT_STREQ(tcp_state_name(TcpState::kCloseWait), "close_wait");
  EXPECT_STREQ(tcp_state_name(TcpState::kClosing), "closing");
  EXPECT_STREQ(tcp_state_name(TcpState::kClosed), "closed");
  EXPECT_STREQ(flow_state_name(FlowState::kNew), "new");
  EXPECT_STREQ(flow_state_name(FlowState::kEstablished), "established");
  EXPECT_STREQ(flow_state_name(FlowState::kClosed), "closed");
  EXPECT_STREQ(flow_end_reason_name(FlowEndReason::kTimeout), "timeout");
  EXPECT_STREQ(flow_end_reason_name(FlowEndReason::kForced), "forced");
  EXPECT_STREQ(flow_end_reason_name(FlowEndReason::kShutdown), "shutdown");
  EXPECT_STREQ(flow_end_reason_name(FlowEndReason::kTcpReuse), "tcp_reuse");
}

// A million flows must fit the memory budget: keep the record compact.
TEST(Flow, RecordStaysCompact) {
  EXPECT_LE(sizeof(Flow), 200u);
}

}  // namespace
}  // namespace nsm4
