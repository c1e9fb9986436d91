// The forwarder end to end, against a tiny collector stand-in: an HTTPS (or
// plain HTTP) server on loopback, built with Beast here in the test, that
// answers each request with a status chosen by the test.
#include "output/forwarder.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "output/gzip.h"
#include "temp_dir.h"
#include "test_pki.h"

namespace nsm4::forward {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using testing::TempDir;
using testing::TestPki;

struct Received {
  std::string batch;  // X-Nsm4-Batch
  std::string authorization;
  std::string encoding;
  std::string ndjson;  // the body, decompressed
};

struct ServerTls {
  std::string cert_file;
  std::string key_file;
  std::string client_ca_file;  // "" = no client certificate asked for
};

// Serves one connection at a time (the forwarder keeps one open).
class TestCollector {
 public:
  using StatusFn = std::function<int(int request_index)>;
  TestCollector(std::optional<ServerTls> tls, StatusFn status)
      : status_(std::move(status)), acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    if (tls) {
      ctx_.emplace(ssl::context::tls_server);
      ctx_->use_certificate_chain_file(tls->cert_file);
      ctx_->use_private_key_file(tls->key_file, ssl::context::pem);
      if (!tls->client_ca_file.empty()) {
        ctx_->load_verify_file(tls->client_ca_file);
        ctx_->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
      }
    }
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~TestCollector() { stop(); }

  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url() const {
    return std::string(ctx_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }
  int requests() const { return requests_.load(); }
  int connections() const { return connections_.load(); }
  int handshake_failures() const { return handshake_failures_.load(); }

  void stop() {
    if (stopping_.exchange(true)) return;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (int fd = active_fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
    thread_.join();
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      tcp::socket sock(ioc_);
      beast::error_code ec;
      acceptor_.accept(sock, ec);
      if (ec || stopping_) break;
      ++connections_;
      active_fd_ = sock.native_handle();
      if (ctx_) {
        beast::ssl_stream<tcp::socket> s(std::move(sock), *ctx_);
        s.handshake(ssl::stream_base::server, ec);
        if (ec)
          ++handshake_failures_;
        else
          serve(s);
      } else {
        serve(sock);
      }
      active_fd_ = -1;
    }
  }

  template <typename Stream>
  void serve(Stream& s) {
    beast::flat_buffer buf;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      beast::error_code ec;
      http::read(s, buf, parser, ec);
      if (ec) return;
      const auto& req = parser.get();
      const int index = requests_++;
      const int status = status_(index);
      http::response<http::string_body> res{static_cast<http::status>(status), 11};
      res.set(http::field::content_type, "application/json");
      if (status >= 200 && status <= 299) {
        Received r;
        r.batch = std::string(req["X-Nsm4-Batch"]);
        r.authorization = std::string(req[http::field::authorization]);
        r.encoding = std::string(req[http::field::content_encoding]);
        EXPECT_EQ(gzip_decompress(req.body(), 64 << 20, r.ndjson), "");
        const auto lines = std::count(r.ndjson.begin(), r.ndjson.end(), '\n');
        res.body() =
            R"({"stored":)" + std::to_string(lines) + R"(,"duplicate":false,"rejected":[]})";
        std::lock_guard lock(mu_);
        received_.push_back(std::move(r));
      } else {
        res.body() = R"({"error":"test says )" + std::to_string(status) + R"("})";
      }
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(s, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }

  StatusFn status_;
  net::io_context ioc_;
  std::optional<ssl::context> ctx_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> active_fd_{-1};
  std::atomic<int> requests_{0}, connections_{0}, handshake_failures_{0};
  mutable std::mutex mu_;
  std::vector<Received> received_;
};

std::string event_lines(int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += R"({"event_type":"flow","n":)" + std::to_string(i) + "}\n";
  return out;
}

// Feeds lines the way EveSink does: chunks of several lines.
void feed(Forwarder& f, int from, int to, int chunk = 7) {
  for (int i = from; i < to; i += chunk) {
    const int end = std::min(to, i + chunk);
    f.on_eve_lines(event_lines(i, end), static_cast<uint64_t>(end - i));
  }
}

class ForwarderTest : public ::testing::Test {
 protected:
  ForwarderTest() : tmp_("fwd"), pki_(tmp_.path(), "a") {
    server_cert_ = pki_.issue("collector", "IP:127.0.0.1");
  }

  ForwarderOptions options(const std::string& url) {
    ForwarderOptions o;
    std::string err;
    auto u = parse_forward_url(url, err);
    EXPECT_TRUE(u) << err;
    if (u) o.http.url = *u;
    o.http.ca_file = pki_.ca_file();
    o.http.bearer_token = "agent-token-1";
    o.http.connect_timeout = 2s;
    o.http.request_timeout = 5s;
    o.spool.dir = tmp_.path() / "spool";
    o.batch_max_events = 100;
    o.batch_max_delay = 50ms;
    o.retry_initial = 5ms;
    o.retry_max = 40ms;
    o.drain_timeout = 20s;
    return o;
  }
  ServerTls server_tls() const { return {server_cert_.cert_file, server_cert_.key_file, ""}; }

  TempDir tmp_;
  TestPki pki_;
  TestPki::Issued server_cert_;
};

std::string joined(const std::vector<Received>& rs) {
  std::string all;
  for (const auto& r : rs) all += r.ndjson;
  return all;
}

uint16_t port_with_nobody_listening() {
  net::io_context ioc;
  tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// Events in the spool's batches (read through a fresh Spool: the forwarder is gone).
uint64_t events_left_in(const SpoolOptions& o, std::vector<uint64_t>* seqs) {
  Spool s;
  EXPECT_EQ(s.open(o), "");
  uint64_t events = 0;
  while (auto e = s.oldest(0ms)) {
    events += e->events;
    if (seqs) seqs->push_back(e->seq);
    EXPECT_EQ(s.acknowledge(e->seq), "");
  }
  return events;
}

TEST_F(ForwarderTest, DeliversEverythingOnceInOrderAfterFailures) {
  TestCollector server(server_tls(), [](int i) { return i < 3 ? 503 : 200; });
  Forwarder f(options(server.url()), nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 5000);
  ASSERT_TRUE(f.drain());

  const auto got = server.received();
  ASSERT_EQ(got.size(), 50u);
  EXPECT_EQ(joined(got), event_lines(0, 5000));  // each event once, in order
  const std::string stream = f.spool().stream();
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].batch, stream + "/" + std::to_string(i));
    EXPECT_EQ(got[i].authorization, "Bearer agent-token-1");
    EXPECT_EQ(got[i].encoding, "gzip");
  }
  EXPECT_EQ(server.requests(), 53);
  EXPECT_LE(server.connections(), 2);  // kept alive, also across the 503s

  const ForwardStats s = f.stats();
  EXPECT_EQ(s.sent_batches, 50u);
  EXPECT_EQ(s.sent_events, 5000u);
  EXPECT_EQ(s.retries, 3u);
  EXPECT_EQ(s.spool_batches, 0u);
  EXPECT_EQ(s.dropped_batches, 0u);
  EXPECT_EQ(s.last_error, "");
  for (const auto& de : std::filesystem::directory_iterator(tmp_.path() / "spool"))
    EXPECT_TRUE(de.path().filename() == "stream" || de.path().filename() == "rejected" ||
                de.path().filename() == "lock")
        << de.path();
}

TEST_F(ForwarderTest, WrongCaIsRetriedAndReportedNeverSentInClear) {
  TempDir other("fwd-other");
  TestPki other_pki(other.path(), "b");
  TestCollector server(server_tls(), [](int) { return 200; });
  ForwarderOptions o = options(server.url());
  o.http.ca_file = other_pki.ca_file();  // trusts another CA
  o.drain_timeout = 300ms;
  Forwarder f(o, nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 10);
  EXPECT_FALSE(f.drain());

  EXPECT_EQ(server.requests(), 0);  // no request ever reached HTTP
  EXPECT_GE(server.handshake_failures(), 2);
  const ForwardStats s = f.stats();
  EXPECT_GE(s.retries, 2u);
  EXPECT_EQ(s.sent_batches, 0u);
  EXPECT_NE(s.last_error.find("certificate"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.spool_batches, 1u);  // kept for the next start
}

TEST_F(ForwarderTest, HostNameIsVerified) {
  // The certificate names 127.0.0.1 only; "localhost" does not match it.
  TestCollector server(server_tls(), [](int) { return 200; });
  ForwarderOptions o = options("https://localhost:" + std::to_string(server.port()));
  o.drain_timeout = 300ms;
  Forwarder f(o, nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 10);
  EXPECT_FALSE(f.drain());
  EXPECT_EQ(server.requests(), 0);
  EXPECT_NE(f.stats().last_error.find("certificate"), std::string::npos) << f.stats().last_error;
}

TEST_F(ForwarderTest, VerificationOffAcceptsAnyCertificate) {
  TempDir other("fwd-other");
  TestPki other_pki(other.path(), "b");
  TestCollector server(server_tls(), [](int) { return 200; });
  ForwarderOptions o = options(server.url());
  o.http.ca_file = other_pki.ca_file();
  o.http.verify = false;
  std::vector<std::string> logs;
  Forwarder f(o, [&](const std::string& m) { logs.push_back(m); });
  ASSERT_EQ(f.open(), "");
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().find("verify"), std::string::npos);  // warned
  f.start();
  feed(f, 0, 10);
  EXPECT_TRUE(f.drain());
  EXPECT_EQ(server.received().size(), 1u);
}

TEST_F(ForwarderTest, ClientCertificateAuthenticates) {
  auto client = pki_.issue("agent-1", "");
  ServerTls tls = server_tls();
  tls.client_ca_file = pki_.ca_file();
  TestCollector server(tls, [](int) { return 200; });
  {
    ForwarderOptions o = options(server.url());
    o.drain_timeout = 300ms;
    o.spool.dir = tmp_.path() / "spool-nocert";
    Forwarder without(o, nullptr);
    ASSERT_EQ(without.open(), "");
    without.start();
    feed(without, 0, 10);
    EXPECT_FALSE(without.drain());
    EXPECT_EQ(server.requests(), 0);
  }
  ForwarderOptions o = options(server.url());
  o.http.client_cert = client.cert_file;
  o.http.client_key = client.key_file;
  o.http.bearer_token.clear();
  Forwarder f(o, nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 10);
  EXPECT_TRUE(f.drain());
  ASSERT_EQ(server.received().size(), 1u);
  EXPECT_EQ(server.received()[0].authorization, "");
}

TEST_F(ForwarderTest, PermanentRejectionMovesTheBatchAside) {
  TestCollector server(server_tls(), [](int i) { return i == 1 ? 400 : 200; });
  std::vector<std::string> logs;
  std::mutex logs_mu;
  Forwarder f(options(server.url()), [&](const std::string& m) {
    std::lock_guard lock(logs_mu);
    logs.push_back(m);
  });
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 300);
  ASSERT_TRUE(f.drain());
  const auto got = server.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(joined(got), event_lines(0, 100) + event_lines(200, 300));
  const ForwardStats s = f.stats();
  EXPECT_EQ(s.rejected_batches, 1u);
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(f.spool().rejected_dir()),
                          std::filesystem::directory_iterator()),
            1);
  std::lock_guard lock(logs_mu);
  bool logged = false;
  for (const auto& m : logs)
    logged |=
        m.find("HTTP 400") != std::string::npos && m.find("test says 400") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST_F(ForwarderTest, CredentialAndThrottlingErrorsAreRetried) {
  TestCollector server(server_tls(), [](int i) {
    static constexpr int kStatus[] = {401, 403, 429, 408, 500};
    return i < 5 ? kStatus[i] : 200;
  });
  Forwarder f(options(server.url()), nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 100);
  ASSERT_TRUE(f.drain());
  EXPECT_EQ(server.received().size(), 1u);
  EXPECT_EQ(f.stats().retries, 5u);
  EXPECT_EQ(f.stats().rejected_batches, 0u);
}

TEST_F(ForwarderTest, BatchesLeftByAnEarlierRunAreSentFirst) {
  const uint16_t dead_port = port_with_nobody_listening();
  std::string stream;
  {
    ForwarderOptions o = options("https://127.0.0.1:" + std::to_string(dead_port));
    o.drain_timeout = 200ms;
    Forwarder f(o, nullptr);
    ASSERT_EQ(f.open(), "");
    f.start();
    feed(f, 0, 250);
    EXPECT_FALSE(f.drain());
    EXPECT_EQ(f.stats().spool_batches, 3u);
    EXPECT_NE(f.stats().last_error, "");
    stream = f.spool().stream();
  }
  TestCollector server(server_tls(), [](int) { return 200; });
  Forwarder f(options(server.url()), nullptr);
  ASSERT_EQ(f.open(), "");
  EXPECT_EQ(f.spool().stream(), stream);
  f.start();
  feed(f, 250, 400);
  ASSERT_TRUE(f.drain());
  const auto got = server.received();
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(joined(got), event_lines(0, 400));
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].batch, stream + "/" + std::to_string(i));
}

TEST_F(ForwarderTest, FullSpoolDropsTheOldestAndCountsThem) {
  ForwarderOptions o = options("https://127.0.0.1:" + std::to_string(port_with_nobody_listening()));
  o.spool.max_bytes = 3000;  // a few batches of 100 lines
  o.drain_timeout = 100ms;
  std::vector<std::string> logs;
  std::mutex logs_mu;
  ForwardStats s;
  {
    Forwarder f(o, [&](const std::string& m) {
      std::lock_guard lock(logs_mu);
      logs.push_back(m);
    });
    ASSERT_EQ(f.open(), "");
    f.start();
    feed(f, 0, 5000);
    EXPECT_FALSE(f.drain());
    s = f.stats();
  }
  EXPECT_GT(s.dropped_batches, 0u);
  EXPECT_LE(s.spool_bytes, 3000u);
  std::vector<uint64_t> seqs;
  const uint64_t left = events_left_in(o.spool, &seqs);
  EXPECT_EQ(left + s.dropped_events, 5000u);  // every event spooled or counted as dropped
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs.back(), 49u);  // the newest batches stay
  std::lock_guard lock(logs_mu);
  bool said = false;
  for (const auto& m : logs) said |= m.find("dropping the oldest") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(ForwarderTest, BlockPolicyHoldsTheProducerAndCountsWhatIsLeft) {
  ForwarderOptions o = options("https://127.0.0.1:" + std::to_string(port_with_nobody_listening()));
  o.spool.max_bytes = 3000;
  o.spool.policy = FullPolicy::kBlock;
  o.batch_queue = 1;
  o.drain_timeout = 100ms;
  ForwardStats s;
  {
    Forwarder f(o, nullptr);
    ASSERT_EQ(f.open(), "");
    f.start();
    std::atomic<bool> fed{false};
    std::thread producer([&] {
      feed(f, 0, 5000);
      fed = true;
    });
    std::this_thread::sleep_for(300ms);
    EXPECT_FALSE(fed.load());  // held up: the spool is full and nothing is acknowledged
    EXPECT_GE(f.stats().blocked_waits, 1u);
    EXPECT_FALSE(f.drain());
    producer.join();
    s = f.stats();
  }
  std::vector<uint64_t> seqs;
  const uint64_t left = events_left_in(o.spool, &seqs);
  EXPECT_GT(s.dropped_events, 0u);
  EXPECT_EQ(left + s.dropped_events, 5000u);
  ASSERT_FALSE(seqs.empty());
  EXPECT_EQ(seqs.front(), 0u);  // the oldest batches stay
}

TEST_F(ForwarderTest, MaxDelayClosesAQuietBatch) {
  TestCollector server(server_tls(), [](int) { return 200; });
  Forwarder f(options(server.url()), nullptr);
  ASSERT_EQ(f.open(), "");
  f.start();
  feed(f, 0, 3);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (server.received().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(server.received().size(), 1u);  // sent without a drain
  EXPECT_EQ(server.received()[0].ndjson, event_lines(0, 3));
  EXPECT_TRUE(f.drain());
}

TEST_F(ForwarderTest, PlainHttpForLoopbackTests) {
  TestCollector server(std::nullopt, [](int) { return 200; });
  std::vector<std::string> logs;
  Forwarder f(options(server.url()), [&](const std::string& m) { logs.push_back(m); });
  ASSERT_EQ(f.open(), "");
  ASSERT_FALSE(logs.empty());
  EXPECT_NE(logs.back().find("plain http"), std::string::npos);
  f.start();
  feed(f, 0, 150);
  ASSERT_TRUE(f.drain());
  EXPECT_EQ(joined(server.received()), event_lines(0, 150));
}

TEST_F(ForwarderTest, OpenFailsOnMissingCredentials) {
  ForwarderOptions o = options("https://127.0.0.1:9");
  o.token_file = (tmp_.path() / "missing-token").string();
  Forwarder a(o, nullptr);
  EXPECT_NE(a.open(), "");
  o.token_file.clear();
  o.http.ca_file = (tmp_.path() / "missing-ca.pem").string();
  Forwarder b(o, nullptr);
  EXPECT_NE(b.open(), "");
}

TEST(ForwarderToken, FirstLineTrimmed) {
  TempDir tmp("token");
  const auto p = (tmp.path() / "t").string();
  std::ofstream(p) << "  s3cr3t-Token_1 \n second line\n";
  std::string token;
  EXPECT_EQ(read_token_file(p, token), "");
  EXPECT_EQ(token, "s3cr3t-Token_1");
  std::ofstream(p, std::ios::trunc) << "\n";
  EXPECT_NE(read_token_file(p, token), "");
  std::ofstream(p, std::ios::trunc) << "a b\n";
  EXPECT_NE(read_token_file(p, token), "");
}

}  // namespace
}  // namespace nsm4::forward
