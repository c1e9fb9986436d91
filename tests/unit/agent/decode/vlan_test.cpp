#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

Bytes tag(uint16_t tci, uint16_t next_type) {
  return cat({be16(tci), be16(next_type)});
}

TEST(Vlan, SingleTagKeepsTheTwelveBitId) {
  DecodeContext ctx;
  // Priority 7 and DEI set: only the low 12 bits are the id.
  Packet p = decode_frame(ctx, 1, cat({eth(0x8100), tag(0xf064, 0x0800), ipv4({})}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 100);
  EXPECT_EQ(p.eth_type, 0x8100);
  EXPECT_EQ(p.ip_version, 4);
}

TEST(Vlan, QinQRecordsOutermostFirst) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 1, cat({eth(0x88a8), tag(10, 0x8100), tag(20, 0x0800), ipv4({})}));
  EXPECT_FALSE(p.invalid);
  ASSERT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.vlan[0], 10);
  EXPECT_EQ(p.vlan[1], 20);
  EXPECT_EQ(p.ip_version, 4);
}

TEST(Vlan, ThreeLayersAreAllowedFourAreNot) {
  DecodeContext ctx;
  Packet three = decode_frame(
      ctx, 1, cat({eth(0x9100), tag(1, 0x88a8), tag(2, 0x8100), tag(3, 0x0800), ipv4({})}));
  EXPECT_FALSE(three.invalid);
  EXPECT_EQ(three.vlan_count, 3);
  EXPECT_EQ(three.vlan[2], 3);

  Packet four = decode_frame(
      ctx, 1,
      cat({eth(0x8100), tag(1, 0x8100), tag(2, 0x8100), tag(3, 0x8100), tag(4, 0x0800), ipv4({})}));
  EXPECT_TRUE(four.invalid);
  EXPECT_TRUE(four.has_event(DecodeEvent::VLAN_TOO_MANY_LAYERS));
  EXPECT_EQ(four.ip_version, 0);
}

TEST(Vlan, TruncatedTagIsInvalid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 1, cat({eth(0x8100), Bytes{0x00, 0x64, 0x08}}));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::VLAN_HEADER_TOO_SMALL));
  EXPECT_EQ(p.vlan_count, 0);
}

TEST(Vlan, UnknownInnerTypeIsReportedButNotInvalid) {
  DecodeContext ctx;
  Packet rarp = decode_frame(ctx, 1, cat({eth(0x8100), tag(5, 0x8035), Bytes(28, 0)}));
  EXPECT_FALSE(rarp.invalid);
  EXPECT_TRUE(rarp.has_event(DecodeEvent::VLAN_UNKNOWN_TYPE));
  EXPECT_EQ(rarp.vlan[0], 5);

  Packet arp = decode_frame(ctx, 1, cat({eth(0x8100), tag(5, 0x0806), Bytes(28, 0)}));
  EXPECT_EQ(arp.event_count, 0);
}

}  // namespace
}  // namespace nsm4
