#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

Packet run(DecodeContext& ctx, const Bytes& payload) {
  Packet p = outer_udp_packet(3544);
  decode_layer(ctx, p, Layer::kTeredo, payload.data(), static_cast<uint32_t>(payload.size()));
  return p;
}
uint64_t ipv6_layers(const DecodeContext& ctx) {
  return ctx.stats().layers[static_cast<size_t>(Layer::kIpv6)];
}
void expect_plain_udp(const Packet& p) {
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 3544);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, v4(192, 0, 2, 1));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.event_count, 0);
}

const Bytes kBubble = ipv6(59, {});  // a Teredo bubble: IPv6, no next header
const Bytes kOrigin = {0, 0, 0x0d, 0x80, 0x3f, 0xff, 0xfd, 0xfe};

TEST(Teredo, PlainIpv6IsDecodedAsTunnel) {
  DecodeContext ctx;
  Packet p = run(ctx, kBubble);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(ipv6_layers(ctx), 1u);
  EXPECT_EQ(p.l4, Layer::kCount);
  EXPECT_EQ(p.ip_version, 6);
}

TEST(Teredo, OriginIndicationIsSkipped) {
  DecodeContext ctx;
  Packet p = run(ctx, cat({kOrigin, kBubble}));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(ipv6_layers(ctx), 1u);
}

TEST(Teredo, AuthenticationThenOriginIsSkipped) {
  DecodeContext ctx;
  // 00 01, id-len 2, au-len 3, client id, auth value, nonce, confirmation.
  const Bytes auth =
      cat({Bytes{0, 1, 2, 3}, Bytes{'i', 'd'}, Bytes{9, 9, 9}, Bytes(8, 0x5a), Bytes{0}});
  Packet p = run(ctx, cat({auth, kOrigin, kBubble}));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(ipv6_layers(ctx), 1u);
}

TEST(Teredo, PayloadThatIsNotIpv6StaysUdp) {
  Bytes bad_length = kBubble;
  put16(bad_length, 4, 8);  // claims 8 payload bytes, has none
  Bytes hop_limit_0 = kBubble;
  hop_limit_0[7] = 0;
  Bytes version4 = kBubble;
  version4[0] = 0x40;
  Bytes short_hbh = ipv6(0, {59, 0, 0, 0});  // hop-by-hop with less than 8 bytes
  const Bytes cases[] = {
      bad_length,     hop_limit_0,       version4,
      short_hbh,      Bytes(39, 0),      cat({kOrigin}),
      Bytes{0, 1, 2}, Bytes{0, 2, 0, 0}, cat({Bytes{0, 1, 200, 200}, Bytes(60, 0)}),
      Bytes{}};
  for (const Bytes& payload : cases) {
    DecodeContext ctx;
    Packet p = run(ctx, payload);
    expect_plain_udp(p);
    EXPECT_EQ(ipv6_layers(ctx), 0u);
  }
}

TEST(Teredo, UndecodableInnerPacketRestoresTheOuterPacket) {
  DecodeContext ctx;
  // Looks like IPv6 (lengths agree) but its hop-by-hop header claims more
  // bytes than there are.
  Packet p = run(ctx, ipv6(0, {59, 5, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(ipv6_layers(ctx), 1u);
  expect_plain_udp(p);
}

TEST(Teredo, DisabledInConfig) {
  DecodeContext ctx(DecodeConfig{.teredo = false});
  expect_plain_udp(run(ctx, kBubble));
}

}  // namespace
}  // namespace nsm4
