// The engine: protocol groups with the Hyperscan prefilter, IP-only and
// header-only rules, alert order, flowbits, thresholds, pass.
#include "detect/engine.h"

#include <gtest/gtest.h>

#include "detect/detect_thread.h"
#include "detect_test_util.h"

namespace nsm4::detect {
namespace {

std::vector<uint32_t> sids(DetectThread& t, const Packet& p, Flow* f = nullptr,
                           bool toserver = true) {
  t.inspect(p, f, toserver);
  std::vector<uint32_t> out;
  for (const Alert& a : t.alerts()) out.push_back(a.rule->sid);
  return out;
}

using V = std::vector<uint32_t>;

TEST(EngineTest, PrefilterFindsContentRulesAndHeaderRulesAlwaysRun) {
  auto e = test::engine(
      "alert tcp any any -> any any (content:\"needle\"; sid:1;)\n"
      "alert tcp any any -> any any (content:\"other\"; sid:2;)\n"
      "alert tcp any any -> any 80 (flags:0; sid:3;)\n"
      "alert udp any any -> any any (content:\"needle\"; sid:4;)\n");
  EXPECT_EQ(e->stats().rules, 4u);
  EXPECT_EQ(e->stats().prefiltered, 3u);
  DetectThread t(e);
  std::string payload = "hay needle hay";
  EXPECT_EQ(sids(t, test::ipv4_packet(payload)), (V{1, 3}));
  std::string none = "hay hay";
  EXPECT_EQ(sids(t, test::ipv4_packet(none)), (V{3}));
  EXPECT_EQ(sids(t, test::ipv4_packet(payload, 17)), (V{4}));
}

TEST(EngineTest, RulesForFewPortsGoToPortGroups) {
  auto e = test::engine(
      "alert tcp any any -> any 80 (content:\"GET\"; sid:1;)\n"
      "alert tcp any any -> any [80,8080] (sid:2;)\n"
      "alert tcp any any -> any any (content:\"GET\"; sid:3;)\n"
      "alert tcp any any -> any 1024: (sid:4;)\n"
      "alert tcp any any <> any 80 (sid:5;)\n");
  // Port 80 and port 8080 hold different rules; the rest stays in "any port".
  EXPECT_EQ(e->stats().port_groups, 2u);
  DetectThread t(e);
  std::string get = "GET /";
  EXPECT_EQ(sids(t, test::ipv4_packet(get, 6, "10.0.0.1", "10.0.0.2", 1234, 80)), (V{1, 2, 3, 5}));
  EXPECT_EQ(sids(t, test::ipv4_packet(get, 6, "10.0.0.1", "10.0.0.2", 1234, 8080)), (V{2, 3, 4}));
  EXPECT_EQ(sids(t, test::ipv4_packet(get, 6, "10.0.0.2", "10.0.0.1", 80, 1234)), (V{3, 4, 5}));
}

TEST(EngineTest, NocaseFastPatternAndNegatedContentsDoNotPrefilter) {
  auto e = test::engine(
      "alert tcp any any -> any any (content:\"NEEDLE\"; nocase; sid:1;)\n"
      "alert tcp any any -> any any (content:!\"needle\"; sid:2;)\n"
      "alert tcp any any -> any any (content:\"a\"; content:\"long one\"; fast_pattern; "
      "sid:3;)\n");
  EXPECT_EQ(e->stats().prefiltered, 2u);
  DetectThread t(e);
  std::string a = "a needle";
  EXPECT_EQ(sids(t, test::ipv4_packet(a)), (V{1}));
  std::string b = "a long one";
  EXPECT_EQ(sids(t, test::ipv4_packet(b)), (V{2, 3}));
}

TEST(EngineTest, AddressesPortsAndDirection) {
  auto e = test::engine(
      "alert ip 10.0.0.1 any -> 10.0.0.2 any (sid:1;)\n"
      "alert ip 10.0.0.2 any -> 10.0.0.1 any (sid:2;)\n"
      "alert ip 10.0.0.2 any <> 10.0.0.1 any (sid:3;)\n"
      "alert tcp any any -> any !80 (sid:4;)\n"
      "alert tcp $HOME_NET any -> $EXTERNAL_NET any (sid:5;)\n"
      "alert icmp any any -> any any (sid:6;)\n");
  DetectThread t(e);
  std::string empty;
  EXPECT_EQ(sids(t, test::ipv4_packet(empty)), (V{1, 3}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "8.8.8.8", 1, 443)), (V{4, 5}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 1, "10.0.0.2", "10.0.0.1")), (V{2, 3, 6}));
}

TEST(EngineTest, IpOnlyRulesWithSmallAddressSetsAreIndexed) {
  auto e = test::engine(
      "alert ip [192.0.2.1,198.51.100.0/24] any -> $HOME_NET any (sid:1;)\n"
      "alert ip $HOME_NET any -> [203.0.113.5,2001:db8::/64] any (sid:2;)\n"
      "alert ip $EXTERNAL_NET any -> $HOME_NET any (sid:3;)\n"
      "alert ip [192.0.2.0/24] any <> any any (sid:4;)\n");
  // sid 1 by source, sid 2 by destination, in each of the five protocol groups.
  EXPECT_EQ(e->stats().address_indexed, 10u);
  DetectThread t(e);
  std::string empty;
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "198.51.100.7", "10.0.0.1")), (V{1, 3}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 17, "192.0.2.1", "10.0.0.1")), (V{1, 3, 4}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "192.0.2.2", "10.0.0.1")), (V{3, 4}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "203.0.113.5")), V{2});
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "203.0.113.6")), V{});
}

TEST(EngineTest, AlertsInPriorityThenSidOrder) {
  auto e = test::engine(
      "alert tcp any any -> any any (sid:30; priority:3;)\n"
      "alert tcp any any -> any any (sid:10; priority:3;)\n"
      "alert tcp any any -> any any (sid:20; priority:1;)\n");
  DetectThread t(e);
  std::string empty;
  EXPECT_EQ(sids(t, test::ipv4_packet(empty)), (V{20, 10, 30}));
}

TEST(EngineTest, HeaderKeywords) {
  auto e = test::engine(
      "alert tcp any any -> any any (flags:S; sid:1;)\n"
      "alert tcp any any -> any any (flags:S+; sid:2;)\n"
      "alert ip any any -> any any (ttl:<10; sid:3;)\n"
      "alert tcp any any -> any any (dsize:>3; sid:4;)\n"
      "alert tcp any any -> any any (window:1024; sid:5;)\n");
  DetectThread t(e);
  std::string four = "abcd";
  Packet p = test::ipv4_packet(four);
  p.tcp_flags = kTcpSyn | kTcpAck;
  p.tcp_window = 1024;
  EXPECT_EQ(sids(t, p), (V{2, 4, 5}));
  p.tcp_flags = kTcpSyn;
  p.ttl = 5;
  EXPECT_EQ(sids(t, p), (V{1, 2, 3, 4, 5}));
}

TEST(EngineTest, FlowKeywordUsesDirectionAndState) {
  auto e = test::engine(
      "alert tcp any any -> any any (flow:to_server,established; sid:1;)\n"
      "alert tcp any any -> any any (flow:to_client; sid:2;)\n"
      "alert tcp any any -> any any (flow:not_established; sid:3;)\n"
      "alert tcp any any -> any any (flow:only_stream; sid:4;)\n");
  EXPECT_EQ(e->stats().rules, 4u);  // only_stream: matches the reassembled stream, no packet
  DetectThread t(e);
  std::string empty;
  Flow est = test::make_flow(1, true);
  EXPECT_EQ(sids(t, test::ipv4_packet(empty), &est, true), (V{1}));
  EXPECT_EQ(sids(t, test::ipv4_packet(empty), &est, false), (V{2}));
  Flow fresh = test::make_flow(2, false);
  EXPECT_EQ(sids(t, test::ipv4_packet(empty), &fresh, true), (V{3}));
}

TEST(EngineTest, FlowbitsSetBeforeIssetOnTheSamePacket) {
  auto e = test::engine(
      "alert tcp any any -> any any (flowbits:isset,a; sid:1;)\n"
      "alert tcp any any -> any any (content:\"login\"; flowbits:set,a; flowbits:noalert; "
      "sid:2;)\n"
      "alert tcp any any -> any any (flowbits:isset,a|b; sid:3;)\n"
      "alert tcp any any -> any any (flowbits:isset,a&b; sid:4;)\n"
      "alert tcp any any -> any any (flowbits:isnotset,a; sid:5;)\n"
      "alert tcp any any -> any any (content:\"logout\"; flowbits:unset,a; sid:6;)\n");
  DetectThread t(e);
  Flow f = test::make_flow(7);
  std::string hello = "hello";
  EXPECT_EQ(sids(t, test::ipv4_packet(hello), &f), (V{5}));
  std::string login = "login";
  EXPECT_EQ(sids(t, test::ipv4_packet(login), &f), (V{1, 3}));
  EXPECT_EQ(sids(t, test::ipv4_packet(hello), &f), (V{1, 3}));
  std::string logout = "logout";
  // Setters (and unsetters) run before readers.
  EXPECT_EQ(sids(t, test::ipv4_packet(logout), &f), (V{6, 5}));
  EXPECT_EQ(sids(t, test::ipv4_packet(hello), &f), (V{5}));
  // Another flow does not see the bits; an ended flow loses them.
  Flow g = test::make_flow(8);
  EXPECT_EQ(sids(t, test::ipv4_packet(login), &g), (V{1, 3}));
  t.flow_ended(8);
  EXPECT_EQ(sids(t, test::ipv4_packet(hello), &g), (V{5}));
}

TEST(EngineTest, FlowbitsSurviveAReloadWithSharedNames) {
  FlowbitNames names;
  std::vector<std::string> msgs;
  auto e1 = Engine::build(
      test::load("alert tcp any any -> any any (flowbits:set,x; flowbits:set,seen; sid:1;)"),
      rules::Classifications::defaults(), msgs, &names);
  auto e2 = Engine::build(test::load("alert tcp any any -> any any (flowbits:isset,seen; sid:2;)"),
                          rules::Classifications::defaults(), msgs, &names);
  DetectThread t(e1);
  Flow f = test::make_flow(5);
  std::string empty;
  EXPECT_EQ(sids(t, test::ipv4_packet(empty), &f), (V{1}));
  t.set_engine(e2);
  EXPECT_EQ(sids(t, test::ipv4_packet(empty), &f), (V{2}));
}

TEST(EngineTest, ThresholdTypes) {
  auto e = test::engine(
      "alert tcp any any -> any any (threshold:type limit, track by_src, count 2, seconds 60; "
      "sid:1;)\n"
      "alert tcp any any -> any any (threshold:type threshold, track by_src, count 3, seconds "
      "60; sid:2;)\n"
      "alert tcp any any -> any any (threshold:type both, track by_dst, count 2, seconds 60; "
      "sid:3;)\n"
      "alert tcp any any -> any any (detection_filter:track by_rule, count 2, seconds 60; "
      "sid:4;)\n");
  DetectThread t(e);
  std::string empty;
  std::vector<V> got;
  for (int i = 0; i < 6; ++i) got.push_back(sids(t, test::ipv4_packet(empty)));
  EXPECT_EQ(got[0], (V{1}));
  EXPECT_EQ(got[1], (V{1, 3}));
  EXPECT_EQ(got[2], (V{2, 4}));
  EXPECT_EQ(got[3], (V{4}));
  EXPECT_EQ(got[4], (V{4}));
  EXPECT_EQ(got[5], (V{2, 4}));
  // A new window starts after `seconds`.
  Packet later = test::ipv4_packet(empty);
  later.ts.sec += 61;
  EXPECT_EQ(sids(t, later), (V{1}));
}

TEST(EngineTest, BySrcThresholdsCountAcrossWorkersByFlowPerWorker) {
  auto e = test::engine(
      "alert tcp any any -> any any (detection_filter:track by_src, count 2, seconds 60; "
      "sid:1;)\n"
      "alert tcp any any -> any any (threshold:type limit, track by_flow, count 1, seconds 60; "
      "sid:2;)\n");
  ThresholdTable shared;
  DetectThread w1(e, &shared), w2(e, &shared);
  std::string empty;
  Flow f1 = test::make_flow(1), f2 = test::make_flow(2);
  // One scanner, three targets, two workers: the third match alerts.
  EXPECT_EQ(sids(w1, test::ipv4_packet(empty, 6, "10.0.0.9", "10.0.0.1"), &f1), V{2});
  EXPECT_EQ(sids(w2, test::ipv4_packet(empty, 6, "10.0.0.9", "10.0.0.2"), &f2), V{2});
  EXPECT_EQ(sids(w1, test::ipv4_packet(empty, 6, "10.0.0.9", "10.0.0.3"), &f1), V{1});
}

TEST(EngineTest, DetectionFilterUniqueOnCountsDistinctPorts) {
  auto e = test::engine(
      "alert tcp any any -> any any (detection_filter:track by_src, count 2, seconds 60, "
      "unique_on dst_port; sid:1;)\n");
  DetectThread t(e);
  std::string empty;
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "10.0.0.2", 1, 22)), V{});
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "10.0.0.2", 1, 22)), V{});
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "10.0.0.2", 1, 23)), V{});
  EXPECT_EQ(sids(t, test::ipv4_packet(empty, 6, "10.0.0.1", "10.0.0.2", 1, 24)), (V{1}));
}

TEST(EngineTest, PassSuppressesTheRestOfTheFlow) {
  auto e = test::engine(
      "alert tcp any any -> any any (content:\"x\"; sid:1;)\n"
      "pass tcp any any -> any any (content:\"trusted\"; sid:2;)\n");
  DetectThread t(e);
  Flow f = test::make_flow(3);
  std::string x = "x";
  EXPECT_EQ(sids(t, test::ipv4_packet(x), &f), (V{1}));
  std::string trusted = "x trusted";
  EXPECT_EQ(sids(t, test::ipv4_packet(trusted), &f), V{});
  EXPECT_TRUE(t.flow_passed(3));
  EXPECT_EQ(sids(t, test::ipv4_packet(x), &f), V{});
}

TEST(EngineTest, IdenticalOptionsAreShared) {
  auto e = test::engine(
      "alert tcp any any -> any any (content:\"abc\"; nocase; ttl:5; sid:1;)\n"
      "alert tcp any any -> any any (content:\"abc\"; nocase; ttl:5; sid:2;)\n"
      "alert tcp any any -> any any (content:\"abc\"; ttl:6; sid:3;)\n");
  EXPECT_EQ(e->stats().shared_ops, 2u);
  const auto& r = e->rules();
  EXPECT_EQ(r[0].programs[0].ops[0].get(), r[1].programs[0].ops[0].get());
  EXPECT_NE(r[0].programs[0].ops[0].get(), r[2].programs[0].ops[0].get());
}

TEST(EngineTest, StickyHeaderBuffers) {
  auto e = test::engine(
      "alert ip any any -> any any (ipv4.hdr; content:\"|40|\"; offset:8; depth:1; sid:1;)\n");
  DetectThread t(e);
  uint8_t hdr[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 0x40, 6};
  std::string empty;
  Packet p = test::ipv4_packet(empty);
  p.ip_hdr = hdr;
  p.ip_hdr_len = 20;
  EXPECT_EQ(sids(t, p), (V{1}));
  hdr[8] = 0x3f;
  EXPECT_EQ(sids(t, p), V{});
}

TEST(EngineTest, RulesThatCannotCompileAreSkippedWithAReason) {
  std::vector<std::string> msgs;
  auto e = test::engine(
      "alert tcp any any -> any any (depth:4; sid:1;)\n"
      "alert tcp any any -> any any (http.uri; content:\"a\"; dns.query; content:\"b\"; sid:2;)\n"
      "alert tcp any any -> any any (content:\"a\"; sid:3;)\n",
      &msgs);
  EXPECT_EQ(e->stats().rules, 1u);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_NE(msgs[0].find("depth needs a content before it"), std::string::npos) << msgs[0];
  EXPECT_NE(msgs[1].find("mixes buffers of two application protocols"), std::string::npos)
      << msgs[1];
}

}  // namespace
}  // namespace nsm4::detect
