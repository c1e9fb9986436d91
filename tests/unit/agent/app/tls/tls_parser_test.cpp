#include "app/tls/tls_parser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "agent/app/tls/tls_builders.h"
#include "app/tls/tls_fingerprint.h"

namespace nsm4::app::tls {
namespace {

using testing::Bytes;
using json = nlohmann::json;
using detect::BufferId;

std::string str(const detect::BufferView& v) {
  return v.present ? std::string(reinterpret_cast<const char*>(v.data), v.len) : "<absent>";
}

Bytes client_flight() {
  using namespace testing;
  Bytes ch = client_hello_body(0x0303, {0x0a0a, 0xc02f, 0xc030, 0x009c},
                               {sni_ext("www.example.com"),
                                u16_list_ext(10, {0x1a1a, 29, 23}),
                                {11, {1, 0}},
                                u16_list_ext(13, {0x0403, 0x0804}),
                                alpn_ext({"h2", "http/1.1"})},
                               Bytes(32, 0x55));
  return record(22, handshake(1, ch), 0x0301);
}

Bytes server_flight(const Bytes& cert) {
  using namespace testing;
  Bytes sh = server_hello_body(0x0303, 0xc02f, {{0xff01, {0}}, alpn_ext({"h2"})}, Bytes(32, 0x66));
  Bytes msgs = handshake(2, sh);
  append(msgs, handshake(11, certificate_body({cert})));
  append(msgs, handshake(14, {}));
  return record(22, msgs);
}

struct Outcome {
  std::vector<AppLog> logs;
  std::vector<AppEvent> events;
};

Outcome feed(TlsParser& p, const Bytes& c, const Bytes& s, size_t chunk) {
  Outcome r;
  for (int d = 0; d < 2; ++d) {
    const Bytes& b = d == 0 ? c : s;
    for (size_t off = 0; off < b.size(); off += chunk) {
      size_t n = std::min(chunk, b.size() - off);
      p.parse(d == 0 ? Dir::kToServer : Dir::kToClient, std::span(b).subspan(off, n), {});
      p.take_logs(r.logs, false);
    }
  }
  p.take_logs(r.logs, true);
  p.take_events(r.events);
  return r;
}

TEST(TlsParser, FullTls12HandshakeAtEverySplit) {
  Bytes cert = testing::make_test_certificate();
  Bytes c = client_flight(), s = server_flight(cert);
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{100}, size_t{100000}}) {
    TlsParser p(TlsConfig{});
    Outcome r = feed(p, c, s, chunk);
    ASSERT_EQ(r.logs.size(), 1u) << chunk;
    EXPECT_TRUE(r.events.empty()) << r.events.front().name;
    ASSERT_EQ(p.tx_count(), 1u);
    const TlsTx& tx = p.tx();
    EXPECT_TRUE(tx.complete[0] && tx.complete[1]);
    EXPECT_EQ(str(tx.get(BufferId::kTlsSni, 0, 0)), "www.example.com");
    EXPECT_EQ(str(tx.get(BufferId::kTlsSni, 1, 0)), "<absent>");
    EXPECT_EQ(str(tx.get(BufferId::kJa3String, 0, 0)), "771,49199-49200-156,0-10-11-13-16,29-23,0");
    EXPECT_EQ(str(tx.get(BufferId::kJa3Hash, 0, 0)),
              md5_hex("771,49199-49200-156,0-10-11-13-16,29-23,0"));
    EXPECT_EQ(str(tx.get(BufferId::kJa3sString, 1, 0)), "771,49199,65281-16");
    EXPECT_EQ(str(tx.get(BufferId::kJa4Hash, 0, 0)).substr(0, 10), "t12d0305h2");
    EXPECT_EQ(str(tx.get(BufferId::kTlsCertSubject, 1, 0)),
              "C=US, ST=California, L=Mountain View, O=Google Inc, CN=*.google.com");
    EXPECT_EQ(str(tx.get(BufferId::kTlsCertSerial, 1, 0)), "00:97:E6:47");
    int64_t v = 0;
    ASSERT_TRUE(tx.get_int(detect::TxInt::kTlsVersion, 0, v));
    EXPECT_EQ(v, 0x0303);

    EXPECT_EQ(r.logs[0].type, "tls");
    EXPECT_FALSE(r.logs[0].from_server);
    json body = json::parse(r.logs[0].body);
    EXPECT_EQ(body["version"], "TLS 1.2");
    EXPECT_EQ(body["sni"], "www.example.com");
    EXPECT_EQ(body["issuerdn"], body["subject"]);
    EXPECT_EQ(body["serial"], "00:97:E6:47");
    EXPECT_EQ(body["notbefore"], "1969-12-31T00:00:00");
    EXPECT_EQ(body["notafter"], "2038-12-31T00:10:03");
    EXPECT_EQ(body["fingerprint"].get<std::string>().size(), 59u);
    EXPECT_EQ(body["ja3"]["string"], "771,49199-49200-156,0-10-11-13-16,29-23,0");
    EXPECT_EQ(body["ja3s"]["hash"], md5_hex("771,49199,65281-16"));
    EXPECT_EQ(body["client_alpns"], json({"h2", "http/1.1"}));
    EXPECT_EQ(body["server_alpns"], json({"h2"}));
    EXPECT_EQ(body["client_handshake"]["ciphers"], json({49199, 49200, 156}));
    EXPECT_EQ(body["server_handshake"]["cipher"], 49199);
    EXPECT_FALSE(body.contains("session_resumed"));
  }
}

TEST(TlsParser, LogsOnceWhenTheCertificateArrives) {
  TlsParser p(TlsConfig{});
  std::vector<AppLog> logs;
  Bytes c = client_flight();
  p.parse(Dir::kToServer, c, {});
  p.take_logs(logs, false);
  EXPECT_TRUE(logs.empty());
  EXPECT_TRUE(p.tx().complete[0]);
  EXPECT_FALSE(p.tx().complete[1]);
  uint32_t rev = p.tx().revision;
  p.parse(Dir::kToClient, server_flight(testing::make_test_certificate()), {});
  EXPECT_GT(p.tx().revision, rev);
  p.take_logs(logs, false);
  p.take_logs(logs, true);
  EXPECT_EQ(logs.size(), 1u);
}

TEST(TlsParser, AlertMetadataIsTheHandshakeSoFar) {
  TlsParser p(TlsConfig{});
  p.parse(Dir::kToServer, client_flight(), {});
  ASSERT_EQ(p.tx_count(), 1u);
  json early = json::parse(p.alert_metadata(p.tx_at(0)));
  EXPECT_EQ(early["sni"], "www.example.com");
  EXPECT_FALSE(early.contains("subject"));
  p.parse(Dir::kToClient, server_flight(testing::make_test_certificate()), {});
  json full = json::parse(p.alert_metadata(p.tx_at(0)));
  EXPECT_EQ(full["subject"], "C=US, ST=California, L=Mountain View, O=Google Inc, CN=*.google.com");
  EXPECT_EQ(full["serial"], "00:97:E6:47");
  EXPECT_EQ(full["version"], "TLS 1.2");
  // Not this parser's transaction: nothing.
  TlsParser other(TlsConfig{});
  EXPECT_EQ(other.alert_metadata(p.tx_at(0)), "");
}

TEST(TlsParser, Tls13LogsWithoutCertificate) {
  using namespace testing;
  Bytes ch =
      client_hello_body(0x0303, {0x1301, 0x1302},
                        {sni_ext("ipv4.google.com"), u16_list_ext(43, {0x0304, 0x0303}, true)});
  Bytes sh = server_hello_body(0x0303, 0x1301, {{43, {0x03, 0x04}}});
  Bytes s = record(22, handshake(2, sh));
  append(s, record(20, {1}));
  append(s, record(23, Bytes(300, 0xab)));
  TlsParser p(TlsConfig{});
  Outcome r = feed(p, record(22, handshake(1, ch)), s, 5);
  ASSERT_EQ(r.logs.size(), 1u);
  json body = json::parse(r.logs[0].body);
  EXPECT_EQ(body["version"], "TLS 1.3");
  EXPECT_EQ(body["sni"], "ipv4.google.com");
  EXPECT_FALSE(body.contains("subject"));
  EXPECT_EQ(body["ja4"].get<std::string>().substr(0, 10), "t13d020200");
  EXPECT_TRUE(r.events.empty());
}

TEST(TlsParser, Tls12WithoutCertificateLogsAtChangeCipherSpec) {
  using namespace testing;
  Bytes s = record(22, handshake(2, server_hello_body(0x0303, 0xc02f, {})));
  TlsParser p(TlsConfig{});
  Outcome r = feed(p, client_flight(), s, 1000);
  ASSERT_EQ(r.logs.size(), 1u);  // only at flow end: the server part was not over
  std::vector<AppLog> logs;
  TlsParser p2(TlsConfig{});
  p2.parse(Dir::kToServer, client_flight(), {});
  p2.parse(Dir::kToClient, s, {});
  p2.take_logs(logs, false);
  EXPECT_TRUE(logs.empty());
  p2.parse(Dir::kToClient, record(20, {1}), {});
  EXPECT_TRUE(p2.tx().complete[1]);
  p2.take_logs(logs, false);
  ASSERT_EQ(logs.size(), 1u);
  json body = json::parse(logs[0].body);
  EXPECT_EQ(body["version"], "TLS 1.2");
  EXPECT_FALSE(body.contains("subject"));
}

TEST(TlsParser, ClientHelloAloneLoggedAtFlowEndWithItsVersion) {
  using namespace testing;
  TlsParser p(TlsConfig{});
  Bytes ch = record(22, handshake(1, client_hello_body(0x0301, {0x002f}, {sni_ext("a.b")})));
  Outcome r = feed(p, ch, Bytes{}, 1000);
  ASSERT_EQ(r.logs.size(), 1u);
  EXPECT_EQ(json::parse(r.logs[0].body)["version"], "TLSv1");
}

TEST(TlsParser, SessionResumption) {
  using namespace testing;
  Bytes s = record(22, handshake(2, server_hello_body(0x0303, 0xc02f, {}, Bytes(32, 0x55))));
  append(s, record(20, {1}));
  TlsParser p(TlsConfig{});
  Outcome r = feed(p, client_flight(), s, 1000);
  ASSERT_EQ(r.logs.size(), 1u);
  EXPECT_EQ(json::parse(r.logs[0].body)["session_resumed"], true);
}

TEST(TlsParser, HandshakeMessageAcrossRecordsAndAfterCcsIgnored) {
  using namespace testing;
  Bytes ch = handshake(1, client_hello_body(0x0303, {0xc02f}, {sni_ext("frag.example")}));
  Bytes c;
  size_t half = ch.size() / 2;
  append(c, record(22, Bytes(ch.begin(), ch.begin() + static_cast<long>(half))));
  append(c, record(22, Bytes(ch.begin() + static_cast<long>(half), ch.end())));
  append(c, record(20, {1}));
  append(c, record(22, Bytes(40, 0xee)));  // encrypted Finished: not parsed
  TlsParser p(TlsConfig{});
  Outcome r = feed(p, c, Bytes{}, 3);
  EXPECT_EQ(str(p.tx().get(BufferId::kTlsSni, 0, 0)), "frag.example");
  EXPECT_TRUE(r.events.empty());
}

TEST(TlsParser, MalformedInputRaisesEvents) {
  using namespace testing;
  {
    TlsParser p(TlsConfig{});
    Bytes bad = {22, 0x05, 0x01, 0x00, 0x10};
    Outcome r = feed(p, bad, Bytes{}, 100);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "INVALID_RECORD_VERSION");
  }
  {
    TlsParser p(TlsConfig{});
    Outcome r = feed(p, Bytes{0x30, 1, 2, 3, 4, 5}, Bytes{}, 100);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "INVALID_RECORD_TYPE");
  }
  {
    TlsConfig cfg;
    cfg.max_record = 100;
    TlsParser p(cfg);
    Outcome r = feed(p, record(22, Bytes(200, 0)), Bytes{}, 1000);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "INVALID_RECORD_LENGTH");
    EXPECT_EQ(p.stats().record_too_long, 1u);
  }
  {
    TlsConfig cfg;
    cfg.max_handshake = 1000;
    TlsParser p(cfg);
    Bytes huge = {1, 0x01, 0x00, 0x00};  // announces 64 KiB
    Outcome r = feed(p, record(22, huge), Bytes{}, 1000);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "HANDSHAKE_INVALID_LENGTH");
    EXPECT_EQ(p.stats().handshake_too_long, 1u);
  }
  {
    TlsParser p(TlsConfig{});
    Bytes truncated = client_hello_body(0x0303, {0xc02f}, {});
    truncated.resize(20);
    Outcome r = feed(p, record(22, handshake(1, truncated)), Bytes{}, 1000);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "INVALID_HANDSHAKE_MESSAGE");
  }
  {
    TlsParser p(TlsConfig{});
    Bytes s = record(22, handshake(2, server_hello_body(0x0303, 0xc02f, {})));
    append(s, record(22, handshake(11, certificate_body({Bytes(50, 0x30)}))));
    Outcome r = feed(p, client_flight(), s, 1000);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].name, "INVALID_CERTIFICATE");
  }
}

TEST(TlsParser, HeartbeatOverflow) {
  using namespace testing;
  TlsParser p(TlsConfig{});
  Bytes c = client_flight();
  append(c, record(24, {1, 0x40, 0x00, 'x', 'y', 'z'}));  // asks for 16 KiB, sends 3 bytes
  Outcome r = feed(p, c, Bytes{}, 1000);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].name, "HEARTBEAT_MESSAGE");
  EXPECT_EQ(r.events[1].name, "OVERFLOW_HEARTBEAT_MESSAGE");
}

TEST(TlsParser, Sslv2ClientHelloTolerated) {
  // SSLv2-format hello: length 0x8031, type 1, version 3.1, lengths ...
  Bytes c = {0x80, 0x0b, 0x01, 0x03, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  TlsParser p(TlsConfig{});
  Outcome r = feed(p, c, Bytes{}, 4);
  EXPECT_TRUE(r.events.empty());
  int64_t v = 0;
  ASSERT_TRUE(p.tx().get_int(detect::TxInt::kTlsVersion, 0, v));
  EXPECT_EQ(v, 0x0301);
}

TEST(TlsParser, TruncatedAndGarbageNeverCrash) {
  Bytes c = client_flight(), s = server_flight(testing::make_test_certificate());
  for (size_t cut = 0; cut < s.size(); cut += 3) {
    TlsParser p(TlsConfig{});
    Bytes part(s.begin(), s.begin() + static_cast<long>(cut));
    Outcome r = feed(p, c, part, 64);
    (void)r;
  }
  uint32_t seed = 1;
  for (int round = 0; round < 200; ++round) {
    Bytes mutated = s;
    for (int k = 0; k < 5; ++k) {
      seed = seed * 1103515245 + 12345;
      mutated[(seed >> 8) % mutated.size()] = static_cast<uint8_t>(seed >> 16);
    }
    TlsParser p(TlsConfig{});
    Outcome r = feed(p, c, mutated, 50);
    (void)r;
  }
  SUCCEED();
}

}  // namespace
}  // namespace nsm4::app::tls
