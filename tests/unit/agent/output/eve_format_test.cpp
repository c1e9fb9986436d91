#include "output/eve_format.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "decode/decoder.h"

namespace nsm4 {
namespace {

Flow tcp_flow() {
  Flow f;
  const uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  f.key.src = IpAddr::v6(a);
  f.key.dst = IpAddr::v6(b);
  f.key.sport = 40000;
  f.key.dport = 443;
  f.key.proto = 6;
  f.key.vlan_count = 2;
  f.key.vlan = {1, 10, 0};
  f.ip_version = 6;
  f.flow_id = 123456789;
  f.start = {1700000000, 5};
  f.last_seen = {1700000003, 7};
  f.toserver = {5, 500, static_cast<uint8_t>(kTcpSyn | kTcpAck | kTcpFin)};
  f.toclient = {4, 4000, static_cast<uint8_t>(kTcpSyn | kTcpAck | kTcpPsh)};
  f.state = FlowState::kClosed;
  f.tcp_tracked = true;
  f.tcp_state = TcpState::kClosed;
  return f;
}

TEST(EveFormat, FlowRecordHasSuricataFields) {
  std::string out;
  EveOptions opt;
  opt.site = "ward-3";
  format_flow_event(out, tcp_flow(), FlowEndReason::kShutdown, opt);
  ASSERT_EQ(out.back(), '\n');
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["event_type"], "flow");
  EXPECT_EQ(j["src_ip"], "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(j["dest_port"], 443);
  EXPECT_EQ(j["proto"], "TCP");
  EXPECT_EQ(j["vlan"], nlohmann::json::array({1, 10}));
  EXPECT_EQ(j["flow"]["pkts_toserver"], 5);
  EXPECT_EQ(j["flow"]["bytes_toclient"], 4000);
  EXPECT_EQ(j["flow"]["age"], 3);
  EXPECT_EQ(j["flow"]["state"], "closed");
  EXPECT_EQ(j["flow"]["reason"], "shutdown");
  EXPECT_EQ(j["flow"]["alerted"], false);
  EXPECT_EQ(j["flow"]["start"], "2023-11-14T22:13:20.000005+0000");
  EXPECT_EQ(j["tcp"]["tcp_flags"], "1b");
  EXPECT_EQ(j["tcp"]["tcp_flags_ts"], "13");
  EXPECT_EQ(j["tcp"]["tcp_flags_tc"], "1a");
  EXPECT_EQ(j["tcp"]["state"], "closed");
  EXPECT_EQ(j["tcp"]["fin"], true);
  EXPECT_FALSE(j["tcp"].contains("rst"));
  EXPECT_EQ(j["site"], "ward-3");
  EXPECT_EQ(j["community_id"].get<std::string>().rfind("1:", 0), 0u);
  EXPECT_FALSE(j.contains("ether"));
}

TEST(EveFormat, AnomalyRecordNamesTheDecoderEvent) {
  Packet p;
  p.pcap_cnt = 7;
  p.ts = {1700000000, 0};
  p.ip_version = 4;
  const uint8_t s[4] = {10, 0, 0, 1}, d[4] = {10, 0, 0, 2};
  p.src = IpAddr::v4(s);
  p.dst = IpAddr::v4(d);
  p.ip_proto = 17;
  p.l4 = Layer::kUdp;
  p.sport = 53;
  p.dport = 5353;
  std::string out;
  format_decode_anomaly(out, p, DecodeEvent::UDP_HLEN_INVALID, nullptr, EveOptions{});
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["event_type"], "anomaly");
  EXPECT_EQ(j["pcap_cnt"], 7);
  EXPECT_EQ(j["src_ip"], "10.0.0.1");
  EXPECT_EQ(j["src_port"], 53);
  EXPECT_EQ(j["anomaly"]["type"], "decode");
  EXPECT_EQ(j["anomaly"]["event"], "decoder.udp.hlen_invalid");
}

}  // namespace
}  // namespace nsm4
