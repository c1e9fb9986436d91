#include "flow/flow_key.h"

#include <gtest/gtest.h>

#include <vector>

#include "agent/flow/flow_test_util.h"

namespace nsm4 {
namespace {

using testing::icmp;
using testing::ts;
using testing::udp;

TEST(FlowKey, IcmpCounterparts) {
  EXPECT_EQ(icmp_counterpart(1, 8), 0);
  EXPECT_EQ(icmp_counterpart(1, 0), 8);
  EXPECT_EQ(icmp_counterpart(1, 13), 14);
  EXPECT_EQ(icmp_counterpart(1, 3), -1);
  EXPECT_EQ(icmp_counterpart(58, 128), 129);
  EXPECT_EQ(icmp_counterpart(58, 135), 136);
  EXPECT_EQ(icmp_counterpart(58, 1), -1);
  EXPECT_EQ(icmp_counterpart(6, 8), -1);
}

TEST(FlowKey, IcmpKeyPairsTypeWithReplyType) {
  FlowKey req = packet_flow_key(icmp("10.0.0.1", "10.0.0.2", 8, 0, ts(1)));
  FlowKey rep = packet_flow_key(icmp("10.0.0.2", "10.0.0.1", 0, 0, ts(1)));
  EXPECT_EQ(req.sport, 8);
  EXPECT_EQ(req.dport, 0);
  EXPECT_EQ(reversed(rep), req);
  FlowKey unreach = packet_flow_key(icmp("10.0.0.2", "10.0.0.1", 3, 3, ts(1)));
  EXPECT_EQ(unreach.sport, 3);
  EXPECT_EQ(unreach.dport, 0);
}

TEST(FlowKey, ReversedSwapsEndpoints) {
  FlowKey k = packet_flow_key(udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(1)));
  FlowKey r = reversed(k);
  EXPECT_EQ(r.src, k.dst);
  EXPECT_EQ(r.sport, 53);
  EXPECT_EQ(reversed(r), k);
  EXPECT_EQ(symmetric_key_hash(k, 5), symmetric_key_hash(r, 5));
  EXPECT_NE(symmetric_key_hash(k, 5), symmetric_key_hash(k, 6));
}

TEST(FlowKey, VlanStackIsCappedAtThree) {
  Packet p = udp("10.0.0.1", 1000, "10.0.0.2", 53, ts(1));
  p.vlan_count = 5;  // deeper stacks than the key holds
  p.vlan = {1, 2, 3};
  FlowKey k = packet_flow_key(p);
  EXPECT_EQ(k.vlan_count, 3);
  EXPECT_EQ(k.vlan[2], 3);
}

TEST(FlowKey, Ipv4AndIpv6WithSameBytesDiffer) {
  Packet a = udp("10.0.0.1", 1, "10.0.0.2", 2, ts(1));
  Packet b = udp("a00:1::", 1, "a00:2::", 2, ts(1));
  EXPECT_NE(packet_flow_key(a), packet_flow_key(b));
}

// match_key must agree with comparing against the key and its reverse.
TEST(FlowKey, MatchKeyAgreesWithEqualityOnBothDirections) {
  std::vector<FlowKey> keys;
  const char* addrs[] = {"10.0.0.1", "10.0.0.2", "2001:db8::1", "2001:db8::2", "2001:db8::1:0:0:1"};
  for (const char* a : addrs)
    for (const char* b : addrs)
      for (uint16_t sport : {53, 1000})
        for (uint16_t dport : {53, 1000}) {
          if ((a[0] == '2') != (b[0] == '2')) continue;
          FlowKey k = packet_flow_key(udp(a, sport, b, dport, ts(1)));
          keys.push_back(k);
          FlowKey v = k;
          v.vlan_count = 1;
          v.vlan[0] = 7;
          keys.push_back(v);
          FlowKey t = k;
          t.recursion = 1;
          keys.push_back(t);
          FlowKey o = k;
          o.proto = 6;
          keys.push_back(o);
        }
  FlowKey v4_like_v6 = keys[0];
  v4_like_v6.src.version = v4_like_v6.dst.version = 6;  // same bytes, other family
  keys.push_back(v4_like_v6);
  for (const FlowKey& k : keys)
    for (const FlowKey& pk : keys) {
      KeyMatch want = k == pk             ? KeyMatch::kForward
                      : k == reversed(pk) ? KeyMatch::kReverse
                                          : KeyMatch::kNone;
      ASSERT_EQ(match_key(k, pk), want);
    }
}

}  // namespace
}  // namespace nsm4
