// The server over TLS, with certificates made by app/pki.cpp.
#include <gtest/gtest.h>

#include <string>

#include "app/pki.h"
#include "collector/server/test_http_client.h"
#include "collector/server/test_server.h"
#include "collector/temp_dir.h"
#include "server/server.h"

namespace nsm4::collector {
namespace {

using testing::eventually;
using testing::loopback_options;
using testing::RecordingHandler;
using testing::RunningServer;
using testing::TempDir;
using testing::TestConnection;
using testing::TlsClientOptions;

class ServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pki::make_ca(ca_, "test CA", 30);
    pki::issue_server_cert(ca_, {dir_.file("server.crt"), dir_.file("server.key")}, {}, 30);
    pki::issue_client_cert(ca_, {dir_.file("agent.crt"), dir_.file("agent.key")}, "agent-7", 30);
  }

  ServerOptions tls_options(bool client_ca) const {
    auto opt = loopback_options();
    opt.tls_cert = dir_.file("server.crt");
    opt.tls_key = dir_.file("server.key");
    if (client_ca) opt.tls_client_ca = ca_.cert_path;
    return opt;
  }

  TlsClientOptions client(bool with_cert) const {
    TlsClientOptions c{ca_.cert_path, "localhost", "", ""};
    if (with_cert) {
      c.cert_file = dir_.file("agent.crt");
      c.key_file = dir_.file("agent.key");
    }
    return c;
  }

  TempDir dir_;
  pki::CaFiles ca_{dir_.file("ca.crt"), dir_.file("ca.key")};
  RecordingHandler handler_;
};

TEST_F(ServerTlsTest, ServesHttpsVerifiedAgainstTheCa) {
  RunningServer server(tls_options(false), handler_);
  TestConnection c(server.port());
  ASSERT_EQ(c.start_tls(client(false)), "");
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(c.send("POST /tls HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "POST /tls 2");
  }
  const auto reqs = handler_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(reqs[0].tls);
  EXPECT_EQ(reqs[0].client_cert_cn, "");
}

TEST_F(ServerTlsTest, VerifiedClientCertificateNameReachesTheHandler) {
  RunningServer server(tls_options(true), handler_);
  TestConnection with_cert(server.port());
  ASSERT_EQ(with_cert.start_tls(client(true)), "");
  ASSERT_TRUE(with_cert.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(with_cert.read_response());
  TestConnection without(server.port());  // a token client: no certificate, still served
  ASSERT_EQ(without.start_tls(client(false)), "");
  ASSERT_TRUE(without.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(without.read_response());
  const auto reqs = handler_.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].client_cert_cn, "agent-7");
  EXPECT_EQ(reqs[1].client_cert_cn, "");
}

TEST_F(ServerTlsTest, ClientCertificateFromAnotherCaFailsTheHandshake) {
  TempDir other;
  const pki::CaFiles other_ca{other.file("ca.crt"), other.file("ca.key")};
  pki::make_ca(other_ca, "other CA", 30);
  pki::issue_client_cert(other_ca, {other.file("a.crt"), other.file("a.key")}, "agent-7", 30);
  RunningServer server(tls_options(true), handler_);
  TestConnection c(server.port());
  auto opt = client(false);
  opt.cert_file = other.file("a.crt");
  opt.key_file = other.file("a.key");
  // TLS 1.3 reports the rejection after the client's handshake completes.
  const bool handshake_ok = c.start_tls(opt).empty();
  if (handshake_ok) {
    c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    EXPECT_FALSE(c.read_response());
  }
  EXPECT_TRUE(eventually([&] { return server.rejected(RejectReason::kTlsHandshake) == 1; }));
  EXPECT_TRUE(handler_.requests().empty());
}

TEST_F(ServerTlsTest, TruncatedAndGarbledHandshakesAreCounted) {
  RunningServer server(tls_options(false), handler_);
  {
    TestConnection c(server.port());
    c.send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));  // half a hello
  }
  {
    TestConnection c(server.port());
    // A record that looks like a ClientHello to the TLS detection, then junk.
    c.send(std::string("\x16\x03\x01\x00\x30\x01\x00\x00\x2c", 9) + std::string(48, 'g'));
    EXPECT_TRUE(c.wait_closed());
  }
  EXPECT_TRUE(eventually([&] { return server.rejected(RejectReason::kTlsHandshake) == 2; }));
  TestConnection ok(server.port());
  ASSERT_EQ(ok.start_tls(client(false)), "");
  ASSERT_TRUE(ok.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_TRUE(ok.read_response());
}

TEST_F(ServerTlsTest, PlainHttpFollowsThePlainMode) {
  auto opt = tls_options(false);
  {
    RunningServer loopback(opt, handler_);  // default: plain from loopback
    TestConnection c(loopback.port());
    ASSERT_TRUE(c.send("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  opt.plain = PlainMode::kOff;
  RunningServer off(opt, handler_);
  TestConnection c(off.port());
  ASSERT_TRUE(c.send("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(off.rejected(RejectReason::kForbidden), 1u);
  EXPECT_EQ(handler_.requests().size(), 1u);
}

TEST_F(ServerTlsTest, MissingOrMismatchedFilesFailStart) {
  ServerCounters counters;
  auto opt = tls_options(false);
  opt.tls_key = dir_.file("agent.key");  // not the server certificate's key
  Server mismatched(opt, handler_, counters);
  EXPECT_THROW(mismatched.start(), std::runtime_error);
  opt.tls_cert = dir_.file("absent.crt");
  Server absent(opt, handler_, counters);
  try {
    absent.start();
    ADD_FAILURE() << "started without a certificate";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.crt"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nsm4::collector
