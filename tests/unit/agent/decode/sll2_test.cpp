#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

// protocol, reserved, interface index, ARPHRD_ETHER, packet type,
// address length, address + 2 pad.
Bytes sll2_header(uint16_t protocol) {
  return cat({be16(protocol), Bytes{0, 0, 0, 0, 0, 3, 0, 1, 4, 6}, kMacSrc, Bytes{0, 0}});
}

TEST(Sll2, HandsOnByProtocolField) {
  DecodeContext ctx;
  const Bytes frame = cat({sll2_header(0x0800), ipv4({.dst = {172, 16, 0, 9}})});
  ASSERT_EQ(frame.size(), 20u + 24u);
  Packet p = decode_frame(ctx, 276, frame);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.dst, v4(172, 16, 0, 9));
}

TEST(Sll2, TooShortIsInvalid) {
  DecodeContext ctx;
  Bytes h = sll2_header(0x0800);
  h.resize(19);
  Packet p = decode_frame(ctx, 276, h);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::SLL2_PKT_TOO_SMALL));
}

TEST(Sll2, UnknownProtocolIsNotInvalid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 276, cat({sll2_header(0x88cc), Bytes(10, 0)}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_version, 0);
}

}  // namespace
}  // namespace nsm4
