#include "server/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "collector/server/test_http_client.h"
#include "collector/server/test_server.h"

namespace nsm4::collector {
namespace {

using testing::eventually;
using testing::loopback_options;
using testing::RecordingHandler;
using testing::RunningServer;
using testing::TestConnection;

TEST(ServerPlainTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(c.send("GET /a?x=1 HTTP/1.1\r\nHost: h\r\nX-Test: One\r\nx-test: two\r\n\r\n"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 200);
  EXPECT_EQ(r1->body, "GET /a?x=1 0");
  ASSERT_TRUE(c.send("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->body, "POST /b 5");

  const auto reqs = handler.requests();
  ASSERT_EQ(reqs.size(), 2u);
  ASSERT_NE(reqs[0].header("x-test"), nullptr);
  EXPECT_EQ(*reqs[0].header("x-test"), "One, two");
  EXPECT_EQ(reqs[0].peer.rfind("127.0.0.1:", 0), 0u) << reqs[0].peer;
  EXPECT_FALSE(reqs[0].tls);
  EXPECT_EQ(reqs[1].body, "hello");
  EXPECT_EQ(server.counters.connections_total.load(), 1u);
  EXPECT_EQ(server.counters.requests_total.load(), 2u);
}

TEST(ServerPlainTest, ReplyFromAnotherThreadReachesTheClient) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(c.send("GET /async HTTP/1.1\r\nHost: h\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r1 = c.read_response();
  auto r2 = c.read_response();
  ASSERT_TRUE(r1 && r2);
  EXPECT_EQ(r1->body, "late");  // in order, although answered 100 ms later
  EXPECT_EQ(r2->body, "GET /x 0");
}

TEST(ServerPlainTest, HandlerThatNeverAnswersOrThrowsGets500) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(c.send("GET /never HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->status, 500);
  ASSERT_TRUE(c.send("GET /throw HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->status, 500);
  EXPECT_NE(r2->body.find("boom"), std::string::npos);
}

TEST(ServerPlainTest, ContentLengthOverTheLimitIs413BeforeTheBody) {
  RecordingHandler handler;
  auto opt = loopback_options();
  opt.max_body_bytes = 1000;
  RunningServer server(opt, handler);
  TestConnection c(server.port());
  ASSERT_TRUE(c.send("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->headers["connection"], "close");
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(handler.requests().empty());
  EXPECT_EQ(server.rejected(RejectReason::kTooLarge), 1u);
}

TEST(ServerPlainTest, ChunkedBodyGrowingOverTheLimitIs413) {
  RecordingHandler handler;
  auto opt = loopback_options();
  opt.max_body_bytes = 1000;
  RunningServer server(opt, handler);
  TestConnection c(server.port());
  const std::string chunk = "258\r\n" + std::string(600, 'a') + "\r\n";  // 0x258 = 600
  ASSERT_TRUE(c.send("POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk));
  c.send(chunk);
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(handler.requests().empty());
  EXPECT_EQ(server.rejected(RejectReason::kTooLarge), 1u);
}

TEST(ServerPlainTest, ChunkedBodyWithinTheLimitIsServed) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(
      c.send("POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
             "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /e 5");
}

TEST(ServerPlainTest, ExpectContinueGets100ThenTheReply) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(
      c.send("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"));
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("xyz"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST /e 3");
}

TEST(ServerPlainTest, PostWithoutLengthIs411) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  TestConnection c(server.port());
  ASSERT_TRUE(c.send("POST /e HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  EXPECT_EQ(server.rejected(RejectReason::kLengthRequired), 1u);
}

TEST(ServerPlainTest, MalformedRequestIs400AndTheServerKeepsServing) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  {
    TestConnection c(server.port());
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nBad Header Line\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c.wait_closed());
  }
  EXPECT_EQ(server.rejected(RejectReason::kMalformedRequest), 1u);
  TestConnection ok(server.port());
  ASSERT_TRUE(ok.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = ok.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST(ServerPlainTest, RandomBytesNeverReachTheHandler) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    std::string junk(1 + rng() % 3000, '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    if (junk[0] == 0x16) junk[0] = 'x';  // keep it plain
    TestConnection c(server.port(), 2000);
    c.send(junk);
    c.wait_closed();
  }
  EXPECT_TRUE(handler.requests().empty());
  TestConnection ok(server.port());
  ASSERT_TRUE(ok.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = ok.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(eventually([&] { return server.counters.connections_open.load() == 1; }));
}

TEST(ServerPlainTest, SlowHeaderIsClosedAfterTheHeaderTimeout) {
  RecordingHandler handler;
  auto opt = loopback_options();
  opt.header_timeout = std::chrono::milliseconds(300);
  RunningServer server(opt, handler);
  TestConnection c(server.port(), 3000);
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: h\r\n"));  // never finished
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2500));
  TestConnection silent(server.port(), 3000);  // connects, sends nothing
  EXPECT_TRUE(silent.wait_closed());
  // The deadline closes the socket before the server's handler counts it.
  EXPECT_TRUE(eventually([&] { return server.rejected(RejectReason::kTimeout) == 2; }));
  EXPECT_TRUE(handler.requests().empty());
}

TEST(ServerPlainTest, ConnectionsOverTheLimitGet503) {
  RecordingHandler handler;
  auto opt = loopback_options();
  opt.max_connections = 2;
  RunningServer server(opt, handler);
  TestConnection a(server.port());
  TestConnection b(server.port());
  ASSERT_TRUE(eventually([&] { return server.counters.connections_open.load() == 2; }));
  TestConnection over(server.port());
  auto r = over.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(server.rejected(RejectReason::kTooManyConnections), 1u);
  ASSERT_TRUE(a.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));  // the admitted ones still work
  auto ra = a.read_response();
  ASSERT_TRUE(ra);
  EXPECT_EQ(ra->status, 200);
}

TEST(ServerPlainTest, StopLetsTheReplyInProgressFinish) {
  RecordingHandler handler;
  RunningServer server(loopback_options(), handler);  // linger_timeout 500 ms
  TestConnection busy(server.port());
  TestConnection idle(server.port());
  TestConnection late(server.port());
  ASSERT_TRUE(busy.send("GET /async HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(eventually([&] { return handler.requests().size() == 1; }));
  ASSERT_TRUE(eventually([&] { return server.counters.connections_open.load() == 3; }));
  std::thread stopper([&] { server.stop(); });  // returns once all connections are gone
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_TRUE(late.send("GET /late HTTP/1.1\r\nHost: h\r\n\r\n"));  // sent as stop began
  auto r = busy.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "late");
  EXPECT_EQ(r->headers["connection"], "close");
  auto rl = late.read_response();
  ASSERT_TRUE(rl);
  EXPECT_EQ(rl->body, "GET /late 0");
  EXPECT_EQ(rl->headers["connection"], "close");
  EXPECT_TRUE(idle.wait_closed());  // after the grace
  stopper.join();
  EXPECT_EQ(server.counters.connections_open.load(), 0u);
}

TEST(ServerPlainTest, ManyClientsOnSeveralThreadsAreAllAnswered) {
  RecordingHandler handler;
  auto opt = loopback_options();
  opt.threads = 2;
  RunningServer server(opt, handler);
  constexpr int kClients = 40;
  constexpr int kRequests = 5;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&, i] {
      TestConnection c(server.port());
      for (int k = 0; k < kRequests; ++k) {
        const std::string target = (i + k) % 4 == 0 ? "/async" : "/c" + std::to_string(i);
        if (!c.send("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n")) return;
        auto r = c.read_response();
        if (r && r->status == 200 && (r->body == "late" || r->body == "GET " + target + " 0"))
          answered.fetch_add(1);
      }
    });
  for (auto& t : clients) t.join();
  EXPECT_EQ(answered.load(), kClients * kRequests);
  EXPECT_EQ(server.counters.requests_total.load(), uint64_t{kClients * kRequests});
  EXPECT_EQ(server.counters.connections_total.load(), uint64_t{kClients});
}

TEST(ServerPlainTest, StartFailsWithAClearMessage) {
  RecordingHandler handler;
  ServerCounters counters;
  auto opt = loopback_options();
  opt.address = "not-an-ip";
  Server bad_address(opt, handler, counters);
  EXPECT_THROW(bad_address.start(), std::runtime_error);

  RunningServer taken(loopback_options(), handler);
  opt.address = "127.0.0.1";
  opt.port = taken.port();
  Server same_port(opt, handler, counters);
  try {
    same_port.start();
    ADD_FAILURE() << "bound a port in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(taken.port())), std::string::npos);
  }
}

}  // namespace
}  // namespace nsm4::collector
