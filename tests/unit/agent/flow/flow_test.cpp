#include "flow/flow.h"

#include <gtest/gtest.h>

#include <cstddef>
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
  EXPECT_LE(sizeof(Flow), 192u);
}

// A lookup and the expiry check read the key, the state and last_seen: one
// cache line.
TEST(Flow, LookupFieldsShareTheFirstCacheLine) {
  EXPECT_EQ(alignof(Flow), 64u);
  EXPECT_LE(offsetof(Flow, key) + sizeof(FlowKey), 64u);
  EXPECT_LT(offsetof(Flow, state), 64u);
  EXPECT_LT(offsetof(Flow, tcp_state), 64u);
  EXPECT_LE(offsetof(Flow, last_seen) + sizeof(Timestamp), 64u);
}

TEST(Flow, BitFieldsHoldTheirRange) {
  Flow f;
  f.src_mac_count = Flow::kMaxMacs;
  f.dst_mac_count = Flow::kMaxMacs;
  f.ip_version = 6;
  f.timeout_class = 11;
  f.tcp_tracked = true;
  f.mac_overflow = true;
  EXPECT_EQ(f.src_mac_count, Flow::kMaxMacs);
  EXPECT_EQ(f.dst_mac_count, Flow::kMaxMacs);
  EXPECT_EQ(f.ip_version, 6);
  EXPECT_EQ(f.timeout_class, 11);
  EXPECT_TRUE(f.tcp_tracked);
  EXPECT_FALSE(f.alerted);
  EXPECT_FALSE(f.has_response_icmp);
  EXPECT_TRUE(f.mac_overflow);
}

}  // namespace
}  // namespace nsm4
