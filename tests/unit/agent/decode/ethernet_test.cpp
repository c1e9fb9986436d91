#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

TEST(Ethernet, FillsAddressesTypeAndHandsOnToIpv4) {
  DecodeContext ctx;
  const Bytes frame = cat({eth(0x0800), ipv4({})});
  Packet p = decode_frame(ctx, 1, frame);
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.has_eth);
  EXPECT_EQ(Bytes(p.eth_dst, p.eth_dst + 6), kMacDst);
  EXPECT_EQ(Bytes(p.eth_src, p.eth_src + 6), kMacSrc);
  EXPECT_EQ(p.eth_type, 0x0800);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.dst, v4(10, 0, 0, 2));
}

TEST(Ethernet, TooShortIsInvalid) {
  DecodeContext ctx;
  const Bytes frame = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08};
  Packet p = decode_frame(ctx, 1, frame);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::ETH_PKT_TOO_SMALL));
  EXPECT_FALSE(p.has_eth);
  EXPECT_EQ(ctx.stats().invalid, 1u);
  EXPECT_EQ(ctx.stats().events[static_cast<size_t>(DecodeEvent::ETH_PKT_TOO_SMALL)], 1u);
}

TEST(Ethernet, HeaderOnlyFrameIsValid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 1, eth(0x0806));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.has_eth);
  EXPECT_EQ(p.eth_type, 0x0806);
  EXPECT_EQ(p.ip_version, 0);
  EXPECT_EQ(p.event_count, 0);
}

TEST(Ethernet, InnerFrameDoesNotOverwriteOuterAddresses) {
  DecodeContext ctx;
  Packet p;
  const Bytes outer_mac = {2, 2, 2, 2, 2, 2};
  p.has_eth = true;
  std::copy(outer_mac.begin(), outer_mac.end(), p.eth_src);
  p.eth_type = 0x8100;
  const Bytes inner = cat({eth(0x0800), ipv4({})});
  decode_layer(ctx, p, Layer::kEthernet, inner.data(), static_cast<uint32_t>(inner.size()));
  EXPECT_EQ(Bytes(p.eth_src, p.eth_src + 6), outer_mac);
  EXPECT_EQ(p.eth_type, 0x8100);
  EXPECT_EQ(p.ip_version, 4);
}

}  // namespace
}  // namespace nsm4
