#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

Bytes le32(uint32_t v) {
  return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 24)};
}
Bytes be32(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}
uint64_t ipv6_layers(const DecodeContext& ctx) {
  return ctx.stats().layers[static_cast<size_t>(Layer::kIpv6)];
}

TEST(Null, Ipv4InEitherByteOrder) {
  for (const Bytes& family : {le32(2), be32(2)}) {
    DecodeContext ctx;
    Packet p = decode_frame(ctx, 0, cat({family, ipv4({})}));
    EXPECT_FALSE(p.invalid);
    EXPECT_EQ(p.ip_version, 4);
    EXPECT_EQ(p.src, v4(10, 0, 0, 1));
  }
}

TEST(Null, EveryBsdIpv6FamilyGoesToIpv6) {
  for (uint32_t af : {24u, 28u, 30u}) {
    for (const Bytes& family : {le32(af), be32(af)}) {
      DecodeContext ctx;
      Packet p = decode_frame(ctx, 0, cat({family, ipv6(59, {})}));
      EXPECT_EQ(ipv6_layers(ctx), 1u) << "AF " << af;
      EXPECT_FALSE(p.has_event(DecodeEvent::NULL_UNSUPPORTED_TYPE));
    }
  }
}

TEST(Null, UnsupportedFamilyIsInvalid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 0, cat({le32(7), ipv4({})}));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::NULL_UNSUPPORTED_TYPE));
  EXPECT_EQ(p.ip_version, 0);
}

TEST(Null, TooShortIsInvalid) {
  DecodeContext ctx;
  Packet p = decode_frame(ctx, 0, Bytes{2, 0, 0});
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::NULL_PKT_TOO_SMALL));
}

}  // namespace
}  // namespace nsm4
