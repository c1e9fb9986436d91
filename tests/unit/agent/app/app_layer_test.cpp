// The app layer driven through the FlowTable as the worker does: when a
// TCP flow's EVE records come out.
#include "app/app_layer.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/flow/flow_test_util.h"
#include "flow/flow_table.h"

namespace nsm4::app {
namespace {

using nsm4::testing::TcpConv;

constexpr uint8_t kSynAck = kTcpSyn | kTcpAck;
constexpr uint8_t kData = kTcpAck | kTcpPsh;

const std::string kRequest = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
const std::string kResponse = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

class AppLayerTest : public ::testing::Test {
 protected:
  AppLayerTest() : app_(std::make_unique<AppLayer>(cfg_)) {}

  // Feeds one packet; returns the number of EVE records it made ready.
  size_t feed(Packet p, const std::string& payload = {}) {
    p.payload = reinterpret_cast<const uint8_t*>(payload.data());
    bool toserver = false;
    Flow* f = table_.process(p, toserver);
    if (!f) return 0;
    app_->process(p, *f, toserver);
    return app_->logs().size();
  }
  size_t from_client(uint8_t flags, const std::string& payload = {}) {
    return feed(c_.from_client(flags, static_cast<uint32_t>(payload.size())), payload);
  }
  size_t from_server(uint8_t flags, const std::string& payload = {}) {
    return feed(c_.from_server(flags, static_cast<uint32_t>(payload.size())), payload);
  }
  void handshake() {
    from_client(kTcpSyn);
    from_server(kSynAck);
    from_client(kTcpAck);
  }

  AppConfig cfg_;
  std::unique_ptr<AppLayer> app_;
  size_t ended_logs_ = 0;
  FlowTable table_{FlowConfig{}, [this](const Flow& f, FlowEndReason) {
                     app_->flow_end(f);
                     ended_logs_ += app_->logs().size();
                   }};
  TcpConv c_;
};

TEST_F(AppLayerTest, RecordComesOnThePacketThatAcksItsData) {
  handshake();
  EXPECT_EQ(from_client(kData, kRequest), 0u);
  EXPECT_EQ(from_server(kTcpAck), 0u);
  // The response completes the transaction, but the client has not acked it.
  EXPECT_EQ(from_server(kData, kResponse), 0u);
  ASSERT_EQ(from_client(kTcpAck), 1u);
  EXPECT_EQ(app_->logs()[0].type, "http");
  EXPECT_EQ(from_client(kTcpAck), 0u);  // once
  EXPECT_EQ(app_->stats().held_logs_limit_hits, 0u);
}

TEST_F(AppLayerTest, AnAckShortOfTheDataKeepsTheRecordWaiting) {
  handshake();
  from_client(kData, kRequest);
  from_server(kTcpAck);
  from_server(kData, kResponse);
  Packet partial = c_.from_client(kTcpAck);
  partial.tcp_ack -= 1;  // all of the response but its last byte
  EXPECT_EQ(feed(partial), 0u);
  EXPECT_EQ(from_client(kTcpAck), 1u);
}

TEST_F(AppLayerTest, UnackedRecordIsWrittenAtFlowEnd) {
  handshake();
  from_client(kData, kRequest);
  from_server(kTcpAck);
  EXPECT_EQ(from_server(kData, kResponse), 0u);
  table_.flush_all();
  EXPECT_EQ(ended_logs_, 1u);
}

// A DNS query over TCP (length-prefixed): logged as soon as it is parsed.
std::string dns_tcp_query() {
  const std::string msg(
      "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
      "\x07"
      "example"
      "\x03"
      "com"
      "\x00"
      "\x00\x01\x00\x01",
      29);
  return std::string{static_cast<char>(msg.size() >> 8), static_cast<char>(msg.size() & 0xff)} +
         msg;
}

TEST_F(AppLayerTest, QueryRecordWaitsForTheServersAck) {
  c_.sport = 53;
  handshake();
  EXPECT_EQ(from_client(kData, dns_tcp_query()), 0u);
  EXPECT_EQ(from_server(kTcpAck), 1u);
  EXPECT_EQ(app_->logs()[0].type, "dns");
}

TEST_F(AppLayerTest, OneSidedCaptureIsNotWaitedFor) {
  // Only the client's packets were captured: no ack will come.
  c_.sport = 53;
  from_client(kTcpSyn);
  c_.sseq += 1;
  from_client(kTcpAck);
  EXPECT_EQ(from_client(kData, dns_tcp_query()), 1u);
}

TEST_F(AppLayerTest, HeldRecordsAreCapped) {
  cfg_.held_logs_limit = 1;
  app_ = std::make_unique<AppLayer>(cfg_);
  handshake();
  // Two pipelined exchanges; the client acks nothing of the responses.
  from_client(kData, kRequest + kRequest);
  from_server(kTcpAck);
  EXPECT_EQ(from_server(kData, kResponse), 0u);
  // The second record finds the first waiting and the cap reached.
  EXPECT_EQ(from_server(kData, kResponse), 1u);
  EXPECT_EQ(app_->stats().held_logs_limit_hits, 1u);
  EXPECT_EQ(from_client(kTcpAck), 1u);
}

}  // namespace
}  // namespace nsm4::app
