#include "flow/flow_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "agent/flow/flow_test_util.h"

namespace nsm4 {
namespace {

using testing::icmp;
using testing::Recorder;
using testing::tcp;
using testing::ts;
using testing::udp;

Flow* feed(FlowTable& t, const Packet& p, bool* toserver_out = nullptr) {
  bool toserver = false;
  Flow* f = t.process(p, toserver);
  if (toserver_out) *toserver_out = toserver;
  return f;
}

TEST(FlowTable, UdpFlowCountsBothDirections) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  bool toserver = false;
  Flow* f = feed(t, udp("192.168.1.5", 5353, "8.8.8.8", 53, ts(10, 5), 80), &toserver);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(toserver);
  EXPECT_EQ(f->key.src, testing::ip("192.168.1.5"));
  EXPECT_EQ(f->key.sport, 5353);
  EXPECT_EQ(f->key.dport, 53);
  EXPECT_EQ(f->key.proto, 17);
  EXPECT_EQ(f->ip_version, 4);
  EXPECT_EQ(f->state, FlowState::kNew);
  EXPECT_EQ(f->start, ts(10, 5));

  f = feed(t, udp("8.8.8.8", 53, "192.168.1.5", 5353, ts(10, 900), 140), &toserver);
  EXPECT_FALSE(toserver);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  feed(t, udp("192.168.1.5", 5353, "8.8.8.8", 53, ts(11, 0), 90));
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(f->toserver.bytes, 170u);
  EXPECT_EQ(f->toclient.pkts, 1u);
  EXPECT_EQ(f->toclient.bytes, 140u);
  EXPECT_EQ(f->last_seen, ts(11, 0));
  EXPECT_EQ(f->start, ts(10, 5));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.stats().created_udp, 1u);
  EXPECT_EQ(t.stats().active, 1u);
  EXPECT_EQ(t.stats().memuse, FlowTable::kBytesPerFlow);
}

TEST(FlowTable, PacketsWithoutFlow) {
  FlowTable t(FlowConfig{}, nullptr);
  Packet not_ip;
  EXPECT_EQ(feed(t, not_ip), nullptr);
  Packet bad = udp("10.0.0.1", 1, "10.0.0.2", 2, ts(1));
  bad.invalid = true;
  EXPECT_EQ(feed(t, bad), nullptr);
  Packet frag = udp("10.0.0.1", 1, "10.0.0.2", 2, ts(1));
  frag.is_fragment = true;
  EXPECT_EQ(feed(t, frag), nullptr);
  frag.reassembled = true;
  EXPECT_NE(feed(t, frag), nullptr);
  Packet truncated_tcp = udp("10.0.0.1", 1, "10.0.0.2", 2, ts(1));
  truncated_tcp.ip_proto = 6;  // TCP header not decoded
  truncated_tcp.l4 = Layer::kCount;
  EXPECT_EQ(feed(t, truncated_tcp), nullptr);
  EXPECT_EQ(t.size(), 1u);
}

TEST(FlowTable, OtherProtocolFlowHasNoPorts) {
  FlowTable t(FlowConfig{}, nullptr);
  Packet gre = testing::ip_packet("10.1.12.1", "10.1.12.2", 47, ts(1), 80);
  gre.sport = 7;  // stale values must not key the flow
  Flow* f = feed(t, gre);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->key.sport, 0);
  EXPECT_EQ(f->key.dport, 0);
  f = feed(t, testing::ip_packet("10.1.12.2", "10.1.12.1", 47, ts(2), 80));
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_EQ(t.stats().created_other, 1u);
}

TEST(FlowTable, MacSetsPerSide) {
  FlowTable t(FlowConfig{}, nullptr);
  auto with_macs = [](Packet p, uint8_t s, uint8_t d) {
    p.has_eth = true;
    std::memset(p.eth_src, s, 6);
    std::memset(p.eth_dst, d, 6);
    return p;
  };
  feed(t, with_macs(udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(1)), 0xa1, 0xb1));
  feed(t, with_macs(udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(2)), 0xa2, 0xb2));
  Flow* f = feed(t, with_macs(udp("10.0.0.2", 53, "10.0.0.1", 1000, ts(3)), 0xc1, 0xd1));
  feed(t, with_macs(udp("10.0.0.2", 53, "10.0.0.1", 1000, ts(4)), 0xc2, 0xd2));
  // Client side: sources toserver and destinations toclient, in order seen;
  // the third distinct address on a side overflows the set.
  ASSERT_EQ(f->src_mac_count, 2);
  EXPECT_EQ(f->src_macs[0][0], 0xa1);
  EXPECT_EQ(f->src_macs[1][0], 0xa2);
  ASSERT_EQ(f->dst_mac_count, 2);
  EXPECT_EQ(f->dst_macs[0][5], 0xb1);
  EXPECT_EQ(f->dst_macs[1][5], 0xb2);
  EXPECT_TRUE(f->mac_overflow);
}

TEST(FlowTable, VlanSeparatesFlows) {
  FlowTable t(FlowConfig{}, nullptr);
  Packet a = udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(1));
  Packet b = a;
  b.vlan_count = 1;
  b.vlan[0] = 10;
  Packet c = b;
  c.vlan[0] = 20;
  Flow* fa = feed(t, a);
  Flow* fb = feed(t, b);
  Flow* fc = feed(t, c);
  EXPECT_NE(fa, fb);
  EXPECT_NE(fb, fc);
  EXPECT_EQ(fb->key.vlan_count, 1);
  EXPECT_EQ(fb->key.vlan[0], 10);
  EXPECT_EQ(t.size(), 3u);
  Packet b_reply = udp("10.0.0.2", 53, "10.0.0.1", 1000, ts(2));
  b_reply.vlan_count = 1;
  b_reply.vlan[0] = 10;
  EXPECT_EQ(feed(t, b_reply), fb);
}

TEST(FlowTable, IcmpEchoIsOneFlowWithResponseType) {
  FlowTable t(FlowConfig{}, nullptr);
  bool toserver = false;
  Flow* f = feed(t, icmp("10.0.0.1", "10.0.0.2", 8, 0, ts(1), 77), &toserver);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(toserver);
  Flow* g = feed(t, icmp("10.0.0.2", "10.0.0.1", 0, 0, ts(1, 500), 77), &toserver);
  EXPECT_EQ(f, g);
  EXPECT_FALSE(toserver);
  // Another echo id between the same hosts: the same flow, as in Suricata.
  EXPECT_EQ(feed(t, icmp("10.0.0.1", "10.0.0.2", 8, 0, ts(2), 78)), f);
  EXPECT_EQ(f->icmp_type, 8);
  EXPECT_EQ(f->icmp_code, 0);
  EXPECT_TRUE(f->has_response_icmp);
  EXPECT_EQ(f->response_icmp_type, 0);
  EXPECT_EQ(f->state, FlowState::kEstablished);
  EXPECT_EQ(f->toserver.pkts, 2u);
  EXPECT_EQ(f->toclient.pkts, 1u);
  // A different kind of message between the same hosts is another flow.
  Flow* ts_req = feed(t, icmp("10.0.0.1", "10.0.0.2", 13, 0, ts(3)));
  EXPECT_NE(ts_req, f);
  Flow* unreach = feed(t, icmp("10.0.0.2", "10.0.0.1", 3, 1, ts(3)));
  EXPECT_NE(unreach, f);
  EXPECT_NE(unreach, ts_req);
  EXPECT_EQ(unreach->icmp_type, 3);
  EXPECT_EQ(unreach->icmp_code, 1);
  EXPECT_EQ(t.stats().created_icmp, 3u);
}

TEST(FlowTable, Icmpv6EchoAndNeighbourDiscovery) {
  FlowTable t(FlowConfig{}, nullptr);
  Flow* f = feed(t, icmp("2001:db8::1", "2001:db8::2", 128, 0, ts(1)));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->key.proto, 58);
  EXPECT_EQ(f->ip_version, 6);
  EXPECT_EQ(feed(t, icmp("2001:db8::2", "2001:db8::1", 129, 0, ts(2))), f);
  Flow* ns = feed(t, icmp("2001:db8::1", "2001:db8::2", 135, 0, ts(3)));
  EXPECT_NE(ns, f);
  EXPECT_EQ(feed(t, icmp("2001:db8::2", "2001:db8::1", 136, 0, ts(4))), ns);
}

TEST(FlowTable, Ipv6TcpFlow) {
  FlowTable t(FlowConfig{}, nullptr);
  Flow* f = feed(t, tcp("2001:db8::1", 40000, "2001:db8::2", 443, kTcpSyn, 1, 0, ts(1)));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->ip_version, 6);
  bool toserver = true;
  EXPECT_EQ(feed(t, tcp("2001:db8::2", 443, "2001:db8::1", 40000, kTcpSyn | kTcpAck, 9, 2, ts(1)),
                 &toserver),
            f);
  EXPECT_FALSE(toserver);
  EXPECT_EQ(f->tcp_state, TcpState::kSynRecv);
}

TEST(FlowTable, SameHostBothEndsKeepsDirection) {
  FlowTable t(FlowConfig{}, nullptr);
  bool toserver = false;
  Flow* f = feed(t, udp("192.168.0.254", 56162, "192.168.0.254", 3306, ts(1)), &toserver);
  EXPECT_TRUE(toserver);
  EXPECT_EQ(feed(t, udp("192.168.0.254", 3306, "192.168.0.254", 56162, ts(2)), &toserver), f);
  EXPECT_FALSE(toserver);
}

// --- timeouts -------------------------------------------------------------

TEST(FlowTableTimeout, NewUdpFlowTimesOutAfterNewTimeout) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());  // udp new: 30 s
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100, 0)));
  t.advance_time(ts(130, 0));  // last_seen + 30 == now: not yet
  EXPECT_EQ(t.size(), 1u);
  t.advance_time(ts(130, 1));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].reason, FlowEndReason::kTimeout);
  EXPECT_EQ(rec.ended[0].flow.state, FlowState::kNew);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.stats().ended_timeout, 1u);
  EXPECT_EQ(t.stats().active, 0u);
  EXPECT_EQ(t.stats().memuse, 0u);
}

TEST(FlowTableTimeout, EstablishedFlowUsesEstablishedTimeout) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100)));
  feed(t, udp("10.0.0.2", 53, "10.0.0.1", 1000, ts(101)));
  t.advance_time(ts(200));  // beyond the new timeout, within established (300 s)
  EXPECT_TRUE(rec.ended.empty());
  t.advance_time(ts(401, 1));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].flow.state, FlowState::kEstablished);
}

TEST(FlowTableTimeout, ClosedTcpFlowUsesClosedTimeout) {
  Recorder rec;
  FlowConfig cfg;
  cfg.tcp = {60, 600, 10};
  FlowTable t(cfg, rec.fn());
  testing::TcpConv c;
  feed(t, c.from_client(kTcpSyn));
  feed(t, c.from_server(kTcpSyn | kTcpAck));
  feed(t, c.from_client(kTcpAck));
  feed(t, c.from_client(kTcpRst));
  t.advance_time(ts(c.sec + 5));
  EXPECT_TRUE(rec.ended.empty());
  t.advance_time(ts(c.sec + 11));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].flow.tcp_state, TcpState::kClosed);
  EXPECT_EQ(rec.ended[0].flow.state, FlowState::kClosed);
}

TEST(FlowTableTimeout, OnlyExpiredFlowsEnd) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  for (int i = 0; i < 100; ++i)
    feed(t, udp("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53, ts(100 + i)));
  // Flows seen at 100..149 have last_seen + 30 < 180 only up to 149.
  t.advance_time(ts(180));
  EXPECT_EQ(rec.ended.size(), 50u);
  for (size_t i = 0; i < rec.ended.size(); ++i) EXPECT_EQ(rec.ended[i].flow.key.sport, 1000 + i);
  EXPECT_EQ(t.size(), 50u);
}

TEST(FlowTableTimeout, ActivityKeepsFlowAlive) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100)));
  feed(t, udp("10.0.0.1", 2000, "10.0.0.2", 53, ts(110)));
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(125)));  // refreshes the first
  t.advance_time(ts(141));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].flow.key.sport, 2000);
}

TEST(FlowTableTimeout, ExpiredFlowEndsOnLookup) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  Flow* f = feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100)));
  uint64_t first_id = f->flow_id;
  // No advance_time: the packet itself finds its flow expired.
  bool toserver = false;
  f = feed(t, udp("10.0.0.2", 53, "10.0.0.1", 1000, ts(131)), &toserver);
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].reason, FlowEndReason::kTimeout);
  EXPECT_EQ(rec.ended[0].flow.flow_id, first_id);
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->flow_id, first_id);
  EXPECT_TRUE(toserver);  // the new flow's initiator is this packet's sender
  EXPECT_EQ(f->key.src, testing::ip("10.0.0.2"));
  EXPECT_EQ(f->toserver.pkts, 1u);
  EXPECT_EQ(f->toclient.pkts, 0u);
  EXPECT_EQ(t.size(), 1u);
}

// The same packets give the same flow records whether advance_time runs
// before every packet, every 7 s, or never.
TEST(FlowTableTimeout, ResultIndependentOfTickRate) {
  std::vector<Packet> pkts;
  for (int i = 0; i < 400; ++i) {
    int64_t sec = 1000 + i * 3;
    uint16_t port = static_cast<uint16_t>(2000 + (i * 7) % 23);
    pkts.push_back(i % 3 ? udp("10.0.0.1", port, "10.0.0.9", 53, ts(sec, i))
                         : udp("10.0.0.9", 53, "10.0.0.1", port, ts(sec, i)));
  }
  auto run = [&](int tick_every) {
    Recorder rec;
    FlowTable t(FlowConfig{}, rec.fn());
    int64_t last_tick = 0;
    for (const Packet& p : pkts) {
      if (tick_every > 0 && p.ts.sec - last_tick >= tick_every) {
        t.advance_time(p.ts);
        last_tick = p.ts.sec;
      }
      feed(t, p);
    }
    t.advance_time(ts(5000));
    t.flush_all();
    std::vector<std::string> out;
    for (const auto& e : rec.ended) {
      out.push_back(std::to_string(e.flow.flow_id) + "/" + std::to_string(e.flow.toserver.pkts) +
                    "/" + std::to_string(e.flow.toclient.pkts) + "/" +
                    flow_end_reason_name(e.reason) + "/" + flow_state_name(e.flow.state));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto never = run(0);
  EXPECT_GT(never.size(), 23u);  // timeouts split the 23 tuples into more flows
  EXPECT_EQ(run(1), never);
  EXPECT_EQ(run(7), never);
}

// A flow that saw packets within the second it was queued in keeps its place
// in the timeout list; expiry must still go by its exact last_seen.
TEST(FlowTableTimeout, ExpiryExactWithinOneSecond) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());  // udp new: 30 s
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100, 0)));
  feed(t, udp("10.0.0.1", 2000, "10.0.0.2", 53, ts(100, 500000)));
  feed(t, udp("10.0.0.1", 3000, "10.0.0.2", 53, ts(100, 700000)));
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100, 900000)));  // 1000 now the latest
  t.advance_time(ts(130, 600000));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].flow.key.sport, 2000);
  t.advance_time(ts(130, 800000));
  ASSERT_EQ(rec.ended.size(), 2u);
  EXPECT_EQ(rec.ended[1].flow.key.sport, 3000);
  t.advance_time(ts(130, 900000));  // last_seen + 30 == now: not yet
  EXPECT_EQ(t.size(), 1u);
  t.advance_time(ts(130, 900001));
  ASSERT_EQ(rec.ended.size(), 3u);
  EXPECT_EQ(rec.ended[2].flow.key.sport, 1000);
  EXPECT_EQ(t.size(), 0u);
}

// Timestamps whose microseconds exceed a second (a capture may carry them)
// count by their value: 100 s + 1.6 s is later than 101.3 s.
TEST(FlowTableTimeout, UnnormalizedMicrosecondsExpireByTheirValue) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());  // udp new: 30 s
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(100, 1600000)));
  feed(t, udp("10.0.0.1", 2000, "10.0.0.2", 53, ts(101, 300000)));
  t.advance_time(ts(131, 400000));
  ASSERT_EQ(rec.ended.size(), 1u);
  EXPECT_EQ(rec.ended[0].flow.key.sport, 2000);
  t.advance_time(ts(131, 600001));
  EXPECT_EQ(rec.ended.size(), 2u);
}

// As ResultIndependentOfTickRate, with many packets per second per flow, so
// that flows are active again within the second they were queued in.
TEST(FlowTableTimeout, ResultIndependentOfTickRateWithinSeconds) {
  std::vector<Packet> pkts;
  uint64_t x = 12345;
  int64_t us = 1000 * int64_t{1000000};
  for (int i = 0; i < 3000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    us += static_cast<int64_t>((x >> 33) % 400000);  // 0..0.4 s apart
    uint16_t port = static_cast<uint16_t>(2000 + (x >> 20) % 40);
    Timestamp t = ts(us / 1000000, static_cast<int32_t>(us % 1000000));
    pkts.push_back((x >> 40) % 3 ? udp("10.0.0.1", port, "10.0.0.9", 53, t)
                                 : udp("10.0.0.9", 53, "10.0.0.1", port, t));
  }
  FlowConfig cfg;
  cfg.udp = {3, 6, 0};  // short, so that flows of a tuple often time out
  auto run = [&](int tick) {
    Recorder rec;
    FlowTable t(cfg, rec.fn());
    int64_t last_tick = 0;
    for (const Packet& p : pkts) {
      if (tick == 1 || (tick > 1 && p.ts.sec - last_tick >= tick)) {
        t.advance_time(p.ts);
        last_tick = p.ts.sec;
      }
      feed(t, p);
    }
    t.advance_time(pkts.back().ts);
    std::vector<std::string> out;
    for (const auto& e : rec.ended) {
      out.push_back(std::to_string(e.flow.flow_id) + "/" + std::to_string(e.flow.toserver.pkts) +
                    "/" + std::to_string(e.flow.toclient.pkts) + "/" +
                    flow_end_reason_name(e.reason));
    }
    std::sort(out.begin(), out.end());
    return std::make_pair(out, t.size());
  };
  auto never = run(0);
  EXPECT_GT(never.first.size(), 40u);
  EXPECT_EQ(run(1), never);  // before every packet
  EXPECT_EQ(run(2), never);
  EXPECT_EQ(run(7), never);
}

// --- memory cap ---------------------------------------------------------

TEST(FlowTableMemcap, EvictsOldestFlows) {
  Recorder rec;
  FlowConfig cfg;
  cfg.memcap = 10 * FlowTable::kBytesPerFlow;
  FlowTable t(cfg, rec.fn());
  for (int i = 0; i < 10; ++i)
    feed(t, udp("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53, ts(100 + i)));
  EXPECT_TRUE(rec.ended.empty());
  feed(t, udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(111)));  // 1000 is no longer the oldest
  for (int i = 10; i < 13; ++i)
    feed(t, udp("10.0.0.1", static_cast<uint16_t>(1000 + i), "10.0.0.2", 53, ts(100 + i + 2)));
  ASSERT_EQ(rec.ended.size(), 3u);
  EXPECT_EQ(rec.ended[0].flow.key.sport, 1001);
  EXPECT_EQ(rec.ended[1].flow.key.sport, 1002);
  EXPECT_EQ(rec.ended[2].flow.key.sport, 1003);
  for (const auto& e : rec.ended) EXPECT_EQ(e.reason, FlowEndReason::kForced);
  EXPECT_EQ(t.size(), 10u);
  EXPECT_EQ(t.stats().ended_forced, 3u);
  EXPECT_EQ(t.stats().emergency_evictions, 3u);
  EXPECT_LE(t.stats().memuse, cfg.memcap);
}

TEST(FlowTableMemcap, MemcapBelowOneFlowDropsWithoutCrash) {
  FlowConfig cfg;
  cfg.memcap = 10;
  FlowTable t(cfg, nullptr);
  EXPECT_EQ(feed(t, udp("10.0.0.1", 1, "10.0.0.2", 2, ts(1))), nullptr);
  EXPECT_EQ(t.stats().memcap_drops, 1u);
  EXPECT_EQ(t.size(), 0u);
}

// The budget: a million concurrent flows within 300 MB for decode and
// flows together; the flow table's share must stay well below it.
TEST(FlowTableMemcap, MillionFlowsFitTheBudget) {
  constexpr uint64_t kBudget = 300ull << 20;
  FlowConfig cfg;
  cfg.memcap = kBudget;
  uint64_t ended = 0;
  FlowTable t(cfg, [&](const Flow&, FlowEndReason) { ++ended; });
  Packet p = udp("10.0.0.0", 1, "172.16.0.1", 53, ts(100));
  for (uint32_t i = 0; i < 1000000; ++i) {
    p.src.bytes[1] = static_cast<uint8_t>(i >> 16);
    p.src.bytes[2] = static_cast<uint8_t>(i >> 8);
    p.src.bytes[3] = static_cast<uint8_t>(i);
    p.sport = static_cast<uint16_t>(1024 + i % 50000);
    p.ts = ts(100 + i / 100000, static_cast<int32_t>(i % 100000));
    ASSERT_NE(feed(t, p), nullptr);
  }
  EXPECT_EQ(ended, 0u);
  EXPECT_EQ(t.size(), 1000000u);
  EXPECT_EQ(t.stats().memuse, 1000000u * FlowTable::kBytesPerFlow);
  EXPECT_LT(t.stats().memuse, 230ull << 20);
  t.flush_all();
  EXPECT_EQ(ended, 1000000u);
  EXPECT_EQ(t.stats().memuse, 0u);
}

// --- shutdown, ids, hashing ---------------------------------------------

TEST(FlowTable, FlushAllEndsEveryFlowInStartOrder) {
  Recorder rec;
  FlowTable t(FlowConfig{}, rec.fn());
  feed(t, udp("10.0.0.1", 3, "10.0.0.2", 53, ts(30)));
  feed(t, icmp("10.0.0.1", "10.0.0.2", 8, 0, ts(10)));
  feed(t, tcp("10.0.0.1", 1, "10.0.0.2", 80, kTcpSyn, 1, 0, ts(20)));
  feed(t, udp("10.0.0.2", 53, "10.0.0.1", 3, ts(40)));
  t.flush_all();
  ASSERT_EQ(rec.ended.size(), 3u);
  EXPECT_EQ(rec.ended[0].flow.key.proto, 1);
  EXPECT_EQ(rec.ended[1].flow.key.proto, 6);
  EXPECT_EQ(rec.ended[2].flow.key.proto, 17);
  for (const auto& e : rec.ended) EXPECT_EQ(e.reason, FlowEndReason::kShutdown);
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.stats().ended_shutdown, 3u);
  // The table is usable afterwards.
  EXPECT_NE(feed(t, udp("10.0.0.1", 3, "10.0.0.2", 53, ts(50))), nullptr);
}

TEST(FlowTable, FlowIdIsStableAcrossTablesAndFitsJson) {
  Packet p = tcp("10.0.0.1", 40000, "10.0.0.2", 80, kTcpSyn, 1, 0, ts(1700000000, 123456));
  FlowTable a(FlowConfig{}, nullptr);
  FlowTable b(FlowConfig{}, nullptr);
  uint64_t id = feed(a, p)->flow_id;
  EXPECT_EQ(feed(b, p)->flow_id, id);
  EXPECT_NE(id, 0u);
  EXPECT_LT(id, uint64_t{1} << 51);
  FlowTable c(FlowConfig{}, nullptr);
  p.ts.usec += 1;
  EXPECT_NE(feed(c, p)->flow_id, id);
}

TEST(FlowTable, SymmetricHashSameBothWays) {
  Packet a = tcp("10.0.0.1", 40000, "10.0.0.2", 80, kTcpSyn, 1, 0, ts(1));
  Packet b = tcp("10.0.0.2", 80, "10.0.0.1", 40000, kTcpSyn | kTcpAck, 1, 2, ts(1));
  EXPECT_EQ(FlowTable::symmetric_hash(a), FlowTable::symmetric_hash(b));
  Packet c = a;
  c.sport = 40001;
  EXPECT_NE(FlowTable::symmetric_hash(a), FlowTable::symmetric_hash(c));
  Packet req = icmp("2001:db8::1", "2001:db8::2", 128, 0, ts(1));
  Packet rep = icmp("2001:db8::2", "2001:db8::1", 129, 0, ts(1));
  EXPECT_EQ(FlowTable::symmetric_hash(req), FlowTable::symmetric_hash(rep));
  Packet v = a;
  v.vlan_count = 1;
  v.vlan[0] = 5;
  EXPECT_NE(FlowTable::symmetric_hash(a), FlowTable::symmetric_hash(v));
}

// Every packet of a flow, in either direction, hashes to the same worker.
TEST(FlowTable, SymmetricHashFollowsTheFlowKey) {
  FlowTable t(FlowConfig{}, nullptr);
  testing::TcpConv c;
  std::vector<Packet> pkts = {c.from_client(kTcpSyn), c.from_server(kTcpSyn | kTcpAck),
                              c.from_client(kTcpAck), c.from_server(kTcpAck | kTcpPsh, 10)};
  Flow* f = feed(t, pkts[0]);
  for (const Packet& p : pkts) {
    EXPECT_EQ(feed(t, p), f);
    EXPECT_EQ(FlowTable::symmetric_hash(p), FlowTable::symmetric_hash(pkts[0]));
  }
}

TEST(FlowStats, MergeAddsEveryCounter) {
  FlowStats a, b;
  a.created = 1;
  a.memuse = 100;
  a.ended_tcp_reuse = 2;
  b.created = 2;
  b.memuse = 50;
  b.memcap_drops = 7;
  a.merge(b);
  EXPECT_EQ(a.created, 3u);
  EXPECT_EQ(a.memuse, 150u);
  EXPECT_EQ(a.ended_tcp_reuse, 2u);
  EXPECT_EQ(a.memcap_drops, 7u);
}

}  // namespace
}  // namespace nsm4
