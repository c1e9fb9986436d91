#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

const Bytes kInner = ipv4({.src = {10, 7, 0, 1}, .dst = {10, 7, 0, 2}});

// Version 0, options length in 4-byte words, protocol type, VNI.
Bytes geneve(uint16_t type, const Bytes& options = {}) {
  return cat({Bytes{static_cast<uint8_t>(options.size() / 4), 0}, be16(type), Bytes{0, 0, 0x2a, 0},
              options});
}

Packet run(DecodeContext& ctx, const Bytes& payload) {
  Packet p = outer_udp_packet(6081);
  decode_layer(ctx, p, Layer::kGeneve, payload.data(), static_cast<uint32_t>(payload.size()));
  return p;
}
void expect_plain_udp(const Packet& p) {
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 6081);
  EXPECT_FALSE(p.invalid);
}

TEST(Geneve, Ipv4Payload) {
  DecodeContext ctx;
  Packet p = run(ctx, cat({geneve(0x0800), kInner}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.src, v4(10, 7, 0, 1));
}

TEST(Geneve, OptionsAreSkipped) {
  DecodeContext ctx;
  // One option: class 0x0102, type 3, 4 bytes of data (length 1).
  const Bytes opt = {0x01, 0x02, 0x03, 0x01, 0xde, 0xad, 0xbe, 0xef};
  Packet p = run(ctx, cat({geneve(0x6558, opt), eth(0x0800), kInner}));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.dst, v4(10, 7, 0, 2));
}

TEST(Geneve, NotGeneveLeavesThePacketAlone) {
  DecodeContext ctx;
  Bytes v1 = geneve(0x0800);
  v1[0] = 0x40;
  // Option claims 8 data bytes but the area holds 4.
  const Bytes bad_opt = {0x01, 0x02, 0x03, 0x02, 0, 0, 0, 0};
  Bytes short_opts = geneve(0x0800, Bytes(8, 0));
  short_opts[0] = 0x3f;  // 252 bytes of options announced
  for (const Bytes& payload :
       {cat({v1, kInner}), cat({geneve(0x0800, bad_opt), kInner}), short_opts, Bytes{0, 0, 8}}) {
    Packet p = run(ctx, payload);
    expect_plain_udp(p);
    EXPECT_EQ(p.event_count, 0);
  }
}

TEST(Geneve, UnknownPayloadTypeIsAnEvent) {
  DecodeContext ctx;
  Packet p = run(ctx, cat({geneve(0x88cc), Bytes(20, 0)}));
  expect_plain_udp(p);
  EXPECT_TRUE(p.has_event(DecodeEvent::GENEVE_UNKNOWN_PAYLOAD_TYPE));
}

TEST(Geneve, MalformedInnerPacketIsAnEvent) {
  DecodeContext ctx;
  Bytes inner = kInner;
  inner.resize(10);
  Packet p = run(ctx, cat({geneve(0x0800), inner}));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_PKT_TOO_SMALL));
  EXPECT_TRUE(p.invalid);
}

}  // namespace
}  // namespace nsm4
