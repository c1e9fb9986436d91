#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

// packet type 0 (to us), ARPHRD_ETHER, address length 6, address + 2 pad,
// protocol.
Bytes sll_header(uint16_t protocol) {
  return cat({Bytes{0, 0, 0, 1, 0, 6}, kMacSrc, Bytes{0, 0}, be16(protocol)});
}

TEST(Sll, HandsOnByProtocolField) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 113, cat({sll_header(0x0800), ipv4({})}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, v4(10, 0, 0, 1));
  EXPECT_FALSE(p.has_eth);
}

TEST(Sll, VlanAfterCookedHeader) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 113, cat({sll_header(0x8100), be16(42), be16(0x0800), ipv4({})}));
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 42);
  EXPECT_EQ(p.ip_version, 4);
}

TEST(Sll, TooShortIsInvalid) {
  DecodeContext ctx;
  Bytes h = sll_header(0x0800);
  h.pop_back();
  Packet p = decode_frame(ctx, 113, h);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::SLL_PKT_TOO_SMALL));
}

}  // namespace
}  // namespace nsm4
