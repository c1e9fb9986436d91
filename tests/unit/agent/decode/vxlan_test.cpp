#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

const Bytes kVxlanHeader = {0x08, 0, 0, 0, 0, 0x12, 0x34, 0};  // I flag, VNI 0x1234
const Bytes kInner = ipv4({.src = {10, 9, 9, 1}, .dst = {10, 9, 9, 2}});

Packet run(DecodeContext& ctx, const Bytes& payload) {
  Packet p = outer_udp_packet(4789);
  decode_layer(ctx, p, Layer::kVxlan, payload.data(), static_cast<uint32_t>(payload.size()));
  return p;
}
void expect_plain_udp(const Packet& p) {
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 4789);
  EXPECT_EQ(p.src, v4(192, 0, 2, 1));
  EXPECT_FALSE(p.invalid);
}

TEST(Vxlan, DecodesInnerEthernetFrame) {
  DecodeContext ctx;
  const Bytes inner_mac = {0xaa, 0, 0, 0, 0, 1};
  Packet p = run(ctx, cat({kVxlanHeader, eth(0x0800, inner_mac, inner_mac), kInner}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.src, v4(10, 9, 9, 1));
  EXPECT_EQ(p.dst, v4(10, 9, 9, 2));
  EXPECT_EQ(p.l4, Layer::kCount);  // the outer UDP ports do not describe the inner packet
  EXPECT_EQ(p.sport, 0);
  EXPECT_EQ(Bytes(p.eth_src, p.eth_src + 6), inner_mac);  // no outer Ethernet in this test
}

TEST(Vxlan, InnerVlanIsRecorded) {
  DecodeContext ctx;
  Packet p = run(ctx, cat({kVxlanHeader, eth(0x8100), be16(7), be16(0x0800), kInner}));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 7);
}

TEST(Vxlan, NotVxlanLeavesThePacketAlone) {
  DecodeContext ctx;
  Bytes no_i_flag = kVxlanHeader;
  no_i_flag[0] = 0;
  Bytes reserved = kVxlanHeader;
  reserved[7] = 1;
  for (const Bytes& payload :
       {cat({no_i_flag, eth(0x0800), kInner}), cat({reserved, eth(0x0800), kInner}),
        cat({kVxlanHeader}), cat({kVxlanHeader, Bytes(13, 0)}), Bytes{}}) {
    Packet p = run(ctx, payload);
    expect_plain_udp(p);
    EXPECT_EQ(p.event_count, 0);
  }
}

TEST(Vxlan, DisabledInConfig) {
  DecodeContext ctx(DecodeConfig{.vxlan = false});
  expect_plain_udp(run(ctx, cat({kVxlanHeader, eth(0x0800), kInner})));
}

TEST(Vxlan, UnknownInnerTypeIsAnEventOnTheOuterPacket) {
  DecodeContext ctx;
  Packet p = run(ctx, cat({kVxlanHeader, eth(0x88cc), Bytes(20, 0)}));
  expect_plain_udp(p);
  EXPECT_TRUE(p.has_event(DecodeEvent::VXLAN_UNKNOWN_PAYLOAD_TYPE));
}

TEST(Vxlan, MalformedInnerPacketIsAnEvent) {
  DecodeContext ctx;
  Bytes inner = kInner;
  inner[0] = 0x43;  // IHL 3
  Packet p = run(ctx, cat({kVxlanHeader, eth(0x0800), inner}));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_HLEN_TOO_SMALL));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace nsm4
