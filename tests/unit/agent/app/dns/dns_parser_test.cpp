#include "app/dns/dns_parser.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agent/app/dns/dns_builder.h"

namespace nsm4::app::dns {
namespace {

using test::framed;
using test::prefix;

using nlohmann::json;
using test::MsgBuilder;

std::string view_str(const detect::BufferView& v) {
  return v.present ? std::string(reinterpret_cast<const char*>(v.data), v.len) : "<absent>";
}

struct Fixture {
  explicit Fixture(bool tcp, DnsConfig cfg = {})
      : parser(tcp ? make_tcp_parser(cfg) : make_udp_parser(cfg)) {}
  void feed(Dir d, const std::vector<uint8_t>& data) { parser->parse(d, data, Timestamp{}); }
  std::vector<AppLog> logs() {
    std::vector<AppLog> out;
    parser->take_logs(out, false);
    return out;
  }
  std::vector<AppEvent> events() {
    std::vector<AppEvent> out;
    parser->take_events(out);
    return out;
  }
  const DnsStats& stats() const { return static_cast<const DnsParser&>(*parser).stats(); }
  std::unique_ptr<AppParser> parser;
};

TEST(DnsParser, UdpRequestAndResponseAreTwoTransactions) {
  Fixture f(false);
  EXPECT_EQ(f.parser->proto(), kProtoDns);
  f.feed(Dir::kToServer, test::query(36146, "www.suricata-ids.org", 1));
  ASSERT_EQ(f.parser->tx_count(), 1u);
  AppTx& req = f.parser->tx_at(0);
  EXPECT_EQ(req.tx_id, 0u);
  EXPECT_EQ(req.revision, 1u);
  EXPECT_TRUE(req.complete[0] && req.complete[1]);
  EXPECT_EQ(view_str(req.get(detect::BufferId::kDnsQuery, 0, 0)), "www.suricata-ids.org");
  EXPECT_FALSE(req.get(detect::BufferId::kDnsQuery, 0, 1).present);
  EXPECT_FALSE(req.get(detect::BufferId::kDnsQuery, 1, 0).present);
  auto logs = f.logs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].type, "dns");
  EXPECT_EQ(logs[0].tx_id, 0u);
  EXPECT_FALSE(logs[0].from_server);
  json j = json::parse(logs[0].body);
  EXPECT_EQ(j["type"], "request");
  EXPECT_EQ(j["tx_id"], 0);
  EXPECT_EQ(j["id"], 36146);
  EXPECT_TRUE(f.logs().empty());  // logged once
  f.parser->prune();
  EXPECT_EQ(f.parser->tx_count(), 0u);

  f.feed(Dir::kToClient, test::a_response(36146, "www.suricata-ids.org", {0xc0004e18}));
  ASSERT_EQ(f.parser->tx_count(), 1u);
  AppTx& resp = f.parser->tx_at(0);
  EXPECT_EQ(resp.tx_id, 1u);
  EXPECT_EQ(view_str(resp.get(detect::BufferId::kDnsAnswerName, 1, 0)), "www.suricata-ids.org");
  EXPECT_EQ(view_str(resp.get(detect::BufferId::kDnsQuery, 1, 0)), "www.suricata-ids.org");
  EXPECT_FALSE(resp.get(detect::BufferId::kDnsAnswerName, 0, 0).present);
  int64_t v = -1;
  ASSERT_TRUE(resp.get_int(detect::TxInt::kDnsRcode, 1, v));
  EXPECT_EQ(v, 0);
  ASSERT_TRUE(resp.get_int(detect::TxInt::kDnsOpcode, 1, v));
  EXPECT_EQ(v, 0);
  EXPECT_FALSE(resp.get_int(detect::TxInt::kTlsVersion, 1, v));
  logs = f.logs();
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(logs[0].from_server);
  EXPECT_EQ(logs[0].tx_id, 1u);
  j = json::parse(logs[0].body);
  EXPECT_EQ(j["type"], "response");
  EXPECT_EQ(j["answers"][0]["rdata"], "192.0.78.24");
  EXPECT_TRUE(f.events().empty());
  EXPECT_EQ(f.stats().requests, 1u);
  EXPECT_EQ(f.stats().responses, 1u);
}

TEST(DnsParser, UnsolicitedResponsesAreLogged) {
  Fixture f(false);
  f.feed(Dir::kToServer, test::query(1, "a.example", 1));
  f.feed(Dir::kToClient, test::a_response(1, "a.example", {1}));
  f.feed(Dir::kToClient, test::a_response(99, "b.example", {2}));
  const auto logs = f.logs();
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(json::parse(logs[2].body)["id"], 99);
  EXPECT_EQ(logs[2].tx_id, 2u);
}

TEST(DnsParser, Version2Records) {
  DnsConfig cfg;
  cfg.version = 2;
  Fixture f(false, cfg);
  MsgBuilder q;
  q.header(5, 0x0100, 2).question("a.example", 1).question("b.example", 28);
  f.feed(Dir::kToServer, q.bytes);
  f.feed(Dir::kToClient, test::a_response(5, "a.example", {1}));
  const auto logs = f.logs();
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(json::parse(logs[0].body)["type"], "query");
  EXPECT_EQ(json::parse(logs[1].body)["rrname"], "b.example");
  EXPECT_EQ(json::parse(logs[2].body)["type"], "answer");
  for (const AppLog& l : logs) EXPECT_FALSE(l.from_server);
}

// An alert on a transaction carries the version 3 object, answers detailed
// and not grouped, even when the dns records are logged as version 2 or not
// at all (Suricata 8's alert "dns" object).
TEST(DnsParser, AlertMetadataIsTheVersion3ObjectWithoutGrouped) {
  DnsConfig cfg;
  cfg.version = 2;
  cfg.log_responses = false;
  Fixture f(false, cfg);
  f.feed(Dir::kToServer, test::query(1, "suricata.io", 1, 0x4940));  // opcode 9, z
  f.feed(Dir::kToClient, test::a_response(1, "suricata.io", {0x23d4002c}));
  ASSERT_EQ(f.parser->tx_count(), 2u);
  const json req = json::parse(f.parser->alert_metadata(f.parser->tx_at(0)));
  EXPECT_EQ(req["version"], 3);
  EXPECT_EQ(req["type"], "request");
  EXPECT_EQ(req["tx_id"], 0);
  EXPECT_EQ(req["id"], 1);
  EXPECT_EQ(req["opcode"], 9);
  EXPECT_EQ(req["z"], true);
  EXPECT_EQ(req["queries"][0]["rrname"], "suricata.io");
  EXPECT_EQ(req["queries"][0]["rrtype"], "A");
  const json resp = json::parse(f.parser->alert_metadata(f.parser->tx_at(1)));
  EXPECT_EQ(resp["type"], "response");
  EXPECT_EQ(resp["tx_id"], 1);
  EXPECT_EQ(resp["qr"], true);
  EXPECT_EQ(resp["answers"][0]["rdata"], "35.212.0.44");
  EXPECT_FALSE(resp.contains("grouped"));
  // A transaction of another parser has no dns object.
  struct OtherTx : AppTx {
    detect::BufferView get(detect::BufferId, int, uint32_t) const override { return {}; }
  } other;
  EXPECT_EQ(f.parser->alert_metadata(other), "");
}

TEST(DnsParser, LogSwitchesAndQuestionlessMessages) {
  DnsConfig cfg;
  cfg.log_requests = false;
  Fixture f(false, cfg);
  f.feed(Dir::kToServer, test::query(1, "a.example", 1));
  MsgBuilder formerr;
  formerr.header(1, 0x8181, 0);
  f.feed(Dir::kToClient, formerr.bytes);
  EXPECT_EQ(f.parser->tx_count(), 2u);
  EXPECT_TRUE(f.logs().empty());
  f.parser->prune();
  EXPECT_EQ(f.parser->tx_count(), 0u);
}

TEST(DnsParser, HeaderEvents) {
  Fixture f(false);
  f.feed(Dir::kToServer, test::query(1, "a.example", 1, 0x4940));  // opcode 9, z
  auto ev = f.events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].name, kEventZFlagSet);
  EXPECT_EQ(ev[1].name, kEventInvalidOpcode);
  EXPECT_EQ(ev[1].tx_id, 0u);
  EXPECT_EQ(ev[1].dir, Dir::kToServer);
  // A response without QR: a transaction anyway, with not_a_response.
  f.feed(Dir::kToClient, test::a_response(1, "a.example", {1}, 0x0180));
  ev = f.events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].name, kEventNotResponse);
  EXPECT_EQ(ev[0].tx_id, 1u);
  EXPECT_EQ(ev[0].dir, Dir::kToClient);
}

TEST(DnsParser, NotARequestAndMalformedGoToTheNewestLiveTx) {
  Fixture f(false);
  f.feed(Dir::kToServer, test::a_response(1, "a.example", {1}));  // QR on a request
  EXPECT_EQ(f.parser->tx_count(), 0u);
  EXPECT_TRUE(f.events().empty());  // no transaction to carry it
  EXPECT_EQ(f.stats().events_dropped, 1u);
  f.feed(Dir::kToServer, test::query(1, "a.example", 1));
  f.feed(Dir::kToServer, test::a_response(1, "a.example", {1}));
  const auto full = test::a_response(2, "b.example", {1});
  const auto bad = prefix(full, full.size() - 2);  // the answer's rdata cut
  f.feed(Dir::kToClient, bad);
  const auto ev = f.events();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].name, kEventNotRequest);
  EXPECT_EQ(ev[1].name, kEventMalformedData);
  EXPECT_EQ(ev[1].tx_id, 0u);
  EXPECT_EQ(f.parser->tx_count(), 1u);
  EXPECT_EQ(f.stats().malformed, 1u);
  EXPECT_EQ(f.stats().not_request, 2u);
}

TEST(DnsParser, NameEvents) {
  Fixture f(false);
  MsgBuilder b;
  b.header(1, 0x8180, 1, 2, 1).question("x.y", 1);
  b.ptr(12).rr(1, 1, 4).u32(1);
  // The owner points at this record's rdata, a pointer to itself.
  const auto rdata = static_cast<uint16_t>(b.size() + 12);
  b.ptr(rdata).rr(99, 1, 2).ptr(rdata);
  b.ptr(12).rr(2, 1, 2).u16(0x4000);  // authority with a bad label
  f.feed(Dir::kToClient, b.bytes);
  const auto ev = f.events();
  std::vector<std::string_view> names;
  for (const AppEvent& e : ev) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{kEventInvalidAuthorities, kEventInfiniteLoop}));
}

TEST(DnsParser, BadUdpHeadersAreIgnoredSilently) {
  Fixture f(false);
  f.feed(Dir::kToServer, {1, 2, 3});
  f.feed(Dir::kToServer, test::query(1, "a.example", 1));
  EXPECT_EQ(f.parser->tx_count(), 1u);
  EXPECT_EQ(f.stats().bad_header, 1u);
  EXPECT_TRUE(f.events().empty());
}

TEST(DnsParser, MaxTxsDropsTheOldest) {
  DnsConfig cfg;
  cfg.max_txs = 3;
  Fixture f(false, cfg);
  for (uint16_t i = 0; i < 5; ++i) f.feed(Dir::kToServer, test::query(i, "a.example", 1));
  EXPECT_EQ(f.parser->tx_count(), 3u);
  EXPECT_EQ(f.parser->tx_at(0).tx_id, 2u);
  EXPECT_EQ(f.stats().txs_evicted, 2u);
  EXPECT_EQ(f.logs().size(), 3u);
  EXPECT_GT(f.parser->memory(), 0u);
}

TEST(DnsParser, TcpFramingSplitAtEveryByte) {
  std::vector<uint8_t> stream = framed(test::query(1, "www.google.com", 1));
  const auto second = framed(test::query(2, "mail.google.com", 28));
  stream.push_back(0);  // a zero length prefix is skipped
  stream.push_back(0);
  for (uint8_t c : second) stream.push_back(c);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    Fixture f(true);
    f.feed(Dir::kToServer, std::vector<uint8_t>(stream.begin(), stream.begin() + cut));
    f.feed(Dir::kToServer, std::vector<uint8_t>(stream.begin() + cut, stream.end()));
    ASSERT_EQ(f.parser->tx_count(), 2u) << "cut at " << cut;
    EXPECT_EQ(view_str(f.parser->tx_at(1).get(detect::BufferId::kDnsQuery, 0, 0)),
              "mail.google.com");
  }
  // Byte by byte.
  Fixture f(true);
  for (uint8_t byte : stream) f.feed(Dir::kToServer, {byte});
  EXPECT_EQ(f.parser->tx_count(), 2u);
  EXPECT_EQ(f.logs().size(), 2u);
}

TEST(DnsParser, TcpBothDirections) {
  Fixture f(true);
  f.feed(Dir::kToServer, framed(test::query(9, "www.google.com", 1)));
  f.feed(Dir::kToClient, framed(test::a_response(9, "www.google.com", {0x08080808})));
  const auto logs = f.logs();
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(json::parse(logs[0].body)["type"], "request");
  EXPECT_EQ(json::parse(logs[1].body)["type"], "response");
  EXPECT_TRUE(logs[1].from_server);
}

TEST(DnsParser, TcpStopsAfterAnUnusableMessage) {
  Fixture f(true);
  f.feed(Dir::kToServer, framed(test::query(1, "a.example", 1)));
  f.feed(Dir::kToServer, framed({1, 2, 3, 4}));  // not a DNS header
  f.feed(Dir::kToServer, framed(test::query(2, "b.example", 1)));
  EXPECT_EQ(f.parser->tx_count(), 1u);
  EXPECT_EQ(f.stats().tcp_stopped, 1u);
  // The other direction still parses.
  f.feed(Dir::kToClient, framed(test::a_response(1, "a.example", {1})));
  EXPECT_EQ(f.parser->tx_count(), 2u);
}

TEST(DnsParser, TcpGapResumesAtAPlausibleMessage) {
  Fixture f(true);
  auto first = framed(test::query(1, "a.example", 1));
  f.feed(Dir::kToServer, std::vector<uint8_t>(first.begin(), first.begin() + 10));
  f.parser->gap(Dir::kToServer, 100);
  f.feed(Dir::kToServer, {0x00, 0x03, 0x41, 0x42, 0x43});  // no DNS message here: skipped
  f.feed(Dir::kToServer, framed(test::query(2, "b.example", 1)));
  ASSERT_EQ(f.parser->tx_count(), 1u);
  EXPECT_EQ(view_str(f.parser->tx_at(0).get(detect::BufferId::kDnsQuery, 0, 0)), "b.example");
  EXPECT_EQ(f.stats().gaps, 1u);
  EXPECT_EQ(f.stats().gap_bytes_skipped, 5u);
}

TEST(DnsParser, GarbageNeverCrashes) {
  // Deterministic pseudo-random datagrams and stream chunks.
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245 + 12345;
    return static_cast<uint8_t>(seed >> 16);
  };
  Fixture udp(false);
  Fixture tcp(true);
  const auto base = test::a_response(1, "www.example.com", {1, 2, 3});
  for (int i = 0; i < 3000; ++i) {
    std::vector<uint8_t> m = base;
    for (int k = 0; k < 4; ++k) m[next() % m.size()] = next();
    m = prefix(m, next() % (m.size() + 1));
    const Dir d = (i & 1) ? Dir::kToClient : Dir::kToServer;
    udp.feed(d, m);
    tcp.feed(d, m);
    udp.logs();
    tcp.logs();
    udp.events();
    udp.parser->prune();
    tcp.parser->prune();
  }
  SUCCEED();
}

}  // namespace
}  // namespace nsm4::app::dns
