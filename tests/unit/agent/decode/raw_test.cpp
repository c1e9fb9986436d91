#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

TEST(Raw, PicksIpv4ByVersionNibble) {
  for (int dlt : {101, 12, 14}) {
    DecodeContext ctx;
    Packet p = decode_frame(ctx, dlt, ipv4({}));
    EXPECT_FALSE(p.invalid) << dlt;
    EXPECT_EQ(p.ip_version, 4) << dlt;
  }
}

TEST(Raw, PicksIpv6ByVersionNibble) {
  DecodeContext ctx;
  decode_frame(ctx, 101, ipv6(59, {}));
  EXPECT_EQ(ctx.stats().layers[static_cast<size_t>(Layer::kIpv6)], 1u);
  EXPECT_EQ(ctx.stats().layers[static_cast<size_t>(Layer::kIpv4)], 0u);
}

TEST(Raw, OtherVersionIsInvalid) {
  DecodeContext ctx;
  Bytes frame = ipv4({});
  frame[0] = 0x55;
  Packet p = decode_frame(ctx, 101, frame);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPRAW_INVALID_IPV));
}

TEST(Raw, ShorterThanAnyIpHeaderIsInvalid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 101, Bytes{0x45, 0, 0});
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_PKT_TOO_SMALL));
  Packet empty = decode_frame(ctx, 101, Bytes{});
  EXPECT_TRUE(empty.invalid);
}

TEST(Raw, Dlt228And229StartAtTheIpLayer) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 228, ipv4({}));
  EXPECT_EQ(p.ip_version, 4);
  decode_frame(ctx, 229, ipv6(59, {}));
  EXPECT_EQ(ctx.stats().layers[static_cast<size_t>(Layer::kIpv6)], 1u);
}

}  // namespace
}  // namespace nsm4
