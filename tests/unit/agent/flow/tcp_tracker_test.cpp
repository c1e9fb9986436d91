// TCP state transitions, driven through the FlowTable as the agent does.
#include "flow/tcp_tracker.h"

#include <gtest/gtest.h>

#include <memory>

#include "agent/flow/flow_test_util.h"
#include "flow/flow_table.h"

namespace nsm4 {
namespace {

using testing::Recorder;
using testing::TcpConv;

constexpr uint8_t kSynAck = kTcpSyn | kTcpAck;
constexpr uint8_t kFinAck = kTcpFin | kTcpAck;

class TcpStateTest : public ::testing::Test {
 protected:
  FlowTable& table() {
    if (!table_) table_ = std::make_unique<FlowTable>(cfg_, rec_.fn());
    return *table_;
  }
  Flow* feed(const Packet& p) {
    bool toserver = false;
    Flow* f = table().process(p, toserver);
    last_toserver_ = toserver;
    return f;
  }
  Flow* handshake() {
    feed(c_.from_client(kTcpSyn));
    feed(c_.from_server(kSynAck));
    return feed(c_.from_client(kTcpAck));
  }

  FlowConfig cfg_;
  Recorder rec_;
  std::unique_ptr<FlowTable> table_;
  TcpConv c_;
  bool last_toserver_ = false;
};

TEST_F(TcpStateTest, ThreeWayHandshake) {
  Flow* f = feed(c_.from_client(kTcpSyn));
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(last_toserver_);
  EXPECT_TRUE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(f->state, FlowState::kNew);

  f = feed(c_.from_server(kSynAck));
  EXPECT_FALSE(last_toserver_);
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  EXPECT_EQ(f->state, FlowState::kNew);

  f = feed(c_.from_client(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(f->toclient.pkts, 1u);
  EXPECT_EQ(f->toserver.tcp_flags, kTcpSyn | kTcpAck);
  EXPECT_EQ(f->toclient.tcp_flags, kSynAck);
  EXPECT_EQ(table().size(), 1u);
}

TEST_F(TcpStateTest, ClientClosesFirst) {
  handshake();
  feed(c_.from_client(kTcpAck | kTcpPsh, 100));
  feed(c_.from_server(kTcpAck | kTcpPsh, 500));
  Flow* f = feed(c_.from_client(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kCloseWait);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kCloseWait);
  f = feed(c_.from_server(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kLastAck);
  EXPECT_EQ(f->state, FlowState::kClosed);
  f = feed(c_.from_client(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
  EXPECT_EQ(f->state, FlowState::kClosed);
}

TEST_F(TcpStateTest, ServerClosesFirst) {
  handshake();
  Flow* f = feed(c_.from_server(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kFinWait1);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  f = feed(c_.from_client(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kFinWait2);
  f = feed(c_.from_client(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kTimeWait);
  EXPECT_EQ(f->state, FlowState::kClosed);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
}

TEST_F(TcpStateTest, FinAckAnsweringFinGoesToTimeWait) {
  handshake();
  feed(c_.from_server(kFinAck));
  Flow* f = feed(c_.from_client(kFinAck));  // acks the server's FIN and closes
  EXPECT_EQ(f->tcp_state, TcpState::kTimeWait);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
}

TEST_F(TcpStateTest, SimultaneousClose) {
  handshake();
  uint32_t server_seq_before_fin = c_.sseq;
  feed(c_.from_server(kFinAck));
  // The client's FIN crosses the server's: it does not acknowledge it.
  Packet cfin = c_.from_client(kFinAck);
  cfin.tcp_ack = server_seq_before_fin;
  Flow* f = feed(cfin);
  EXPECT_EQ(f->tcp_state, TcpState::kClosing);
  f = feed(c_.from_client(kTcpAck));  // now acks the server's FIN
  EXPECT_EQ(f->tcp_state, TcpState::kTimeWait);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
}

TEST_F(TcpStateTest, AckNotCoveringFinKeepsFinWait1) {
  handshake();
  uint32_t before = c_.sseq;
  feed(c_.from_server(kFinAck));
  Packet old_ack = c_.from_client(kTcpAck);
  old_ack.tcp_ack = before;  // acknowledges data before the FIN only
  Flow* f = feed(old_ack);
  EXPECT_EQ(f->tcp_state, TcpState::kFinWait1);
}

TEST_F(TcpStateTest, ResetClosesEstablished) {
  handshake();
  Flow* f = feed(c_.from_server(kTcpRst | kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
  EXPECT_EQ(f->state, FlowState::kClosed);
  EXPECT_TRUE(f->toclient.tcp_flags & kTcpRst);
}

TEST_F(TcpStateTest, ResetAnswersSyn) {
  feed(c_.from_client(kTcpSyn));
  Flow* f = feed(c_.from_server(kTcpRst | kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
  EXPECT_EQ(f->state, FlowState::kClosed);
}

TEST_F(TcpStateTest, SynRetransmitStaysSynSent) {
  Packet syn = c_.from_client(kTcpSyn);
  feed(syn);
  syn.ts.sec += 1;
  Flow* f = feed(syn);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(table().size(), 1u);
  f = feed(c_.from_server(kSynAck));
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
}

TEST_F(TcpStateTest, SynAckWithWrongAckIsIgnored) {
  feed(c_.from_client(kTcpSyn));
  Packet sa = c_.from_server(kSynAck);
  sa.tcp_ack += 5;
  Flow* f = feed(sa);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
}

TEST_F(TcpStateTest, SimultaneousOpen) {
  feed(c_.from_client(kTcpSyn));
  Flow* f = feed(c_.from_server(kTcpSyn));
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  EXPECT_FALSE(last_toserver_);
  f = feed(c_.from_client(kSynAck));
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  EXPECT_EQ(f->state, FlowState::kEstablished);
}

TEST_F(TcpStateTest, SynAckFirstSwapsDirectionEvenWithoutMidstream) {
  Flow* f = feed(c_.from_server(kSynAck));
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(last_toserver_);
  EXPECT_EQ(f->key.src, testing::ip(c_.client));
  EXPECT_EQ(f->key.sport, c_.cport);
  EXPECT_EQ(f->key.dport, c_.sport);
  EXPECT_EQ(f->toclient.pkts, 1u);
  EXPECT_EQ(f->toserver.pkts, 0u);
  EXPECT_FALSE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  f = feed(c_.from_client(kTcpAck));
  EXPECT_TRUE(last_toserver_);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  EXPECT_EQ(f->state, FlowState::kNew);
  EXPECT_EQ(table().stats().tcp_midstream_ignored, 1u);
}

TEST_F(TcpStateTest, MidstreamOffLeavesFlowUntracked) {
  handshake();  // a different flow, to show only the midstream one is ignored
  TcpConv other;
  other.cport = 40001;
  Flow* f = feed(other.from_client(kTcpAck | kTcpPsh, 10));
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  f = feed(other.from_server(kTcpAck, 0));
  f = feed(other.from_client(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kNone);
  EXPECT_EQ(f->state, FlowState::kNew);
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(f->toclient.pkts, 1u);
  EXPECT_EQ(table().stats().created_tcp, 2u);
  EXPECT_EQ(table().stats().tcp_midstream_ignored, 1u);
  table().flush_all();
  ASSERT_EQ(rec_.ended.size(), 2u);
}

class TcpMidstreamTest : public TcpStateTest {
 protected:
  TcpMidstreamTest() { cfg_.midstream = true; }
};

TEST_F(TcpMidstreamTest, AckFirstIsEstablished) {
  Flow* f = feed(c_.from_client(kTcpAck | kTcpPsh, 10));
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  f = feed(c_.from_client(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kCloseWait);
  EXPECT_EQ(table().stats().tcp_midstream_ignored, 0u);
}

TEST_F(TcpMidstreamTest, SynAckFirstIsPickedUp) {
  Flow* f = feed(c_.from_server(kSynAck));
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(last_toserver_);
  EXPECT_EQ(f->key.src, testing::ip(c_.client));
  EXPECT_TRUE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
  f = feed(c_.from_client(kTcpAck));
  EXPECT_TRUE(last_toserver_);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
  f = feed(c_.from_server(kFinAck));
  EXPECT_EQ(f->tcp_state, TcpState::kFinWait1);
}

TEST_F(TcpMidstreamTest, FinFirstIsNotPickedUpButLaterAckIs) {
  Flow* f = feed(c_.from_client(kFinAck));
  EXPECT_FALSE(f->tcp_tracked);
  f = feed(c_.from_server(kTcpAck));
  EXPECT_TRUE(f->tcp_tracked);
  EXPECT_EQ(f->tcp_state, TcpState::kEstablished);
}

TEST_F(TcpStateTest, NewSynOnClosedSessionStartsNewFlow) {
  handshake();
  Flow* f = feed(c_.from_client(kTcpRst));
  uint64_t old_id = f->flow_id;
  ASSERT_EQ(f->tcp_state, TcpState::kClosed);
  c_.cseq += 100000;
  f = feed(c_.from_client(kTcpSyn));
  ASSERT_EQ(rec_.ended.size(), 1u);
  EXPECT_EQ(rec_.ended[0].reason, FlowEndReason::kTcpReuse);
  EXPECT_EQ(rec_.ended[0].flow.flow_id, old_id);
  EXPECT_EQ(rec_.ended[0].flow.toserver.pkts, 3u);
  EXPECT_EQ(f->tcp_state, TcpState::kSynSent);
  EXPECT_EQ(f->toserver.pkts, 1u);
  EXPECT_EQ(table().stats().ended_tcp_reuse, 1u);
  EXPECT_EQ(table().size(), 1u);
}

TEST_F(TcpStateTest, RetransmittedSynAfterResetIsNotReuse) {
  Packet syn = c_.from_client(kTcpSyn);
  feed(syn);
  feed(c_.from_server(kTcpRst | kTcpAck));
  Flow* f = feed(syn);
  EXPECT_TRUE(rec_.ended.empty());
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(f->tcp_state, TcpState::kClosed);
}

TEST(TcpTrackerDirect, NonTcpPacketIsIgnored) {
  Flow f;
  Packet p = testing::udp("10.0.0.1", 1, "10.0.0.2", 2, testing::ts(1));
  p.tcp_flags = kTcpSyn;
  tcp_track(f, p, true, TcpTrackConfig{});
  EXPECT_FALSE(f.tcp_tracked);
  EXPECT_EQ(f.tcp_state, TcpState::kNone);
}

TEST(TcpTrackerDirect, AsyncOnesideEstablishesOnClientAck) {
  Flow f;
  TcpTrackConfig cfg;
  cfg.async_oneside = true;
  TcpConv c;
  tcp_track(f, c.from_client(kTcpSyn), true, cfg);
  c.sseq += 1;  // the SYN/ACK took another path
  tcp_track(f, c.from_client(kTcpAck), true, cfg);
  EXPECT_EQ(f.tcp_state, TcpState::kEstablished);
  Flow g;
  TcpConv d;
  tcp_track(g, d.from_client(kTcpSyn), true, TcpTrackConfig{});
  tcp_track(g, d.from_client(kTcpAck), true, TcpTrackConfig{});
  EXPECT_EQ(g.tcp_state, TcpState::kSynSent);
}

}  // namespace
}  // namespace nsm4
