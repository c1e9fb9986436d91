#include <gtest/gtest.h>

#include "agent/decode/frames.h"
#include "decode/ipv4_options.h"

namespace nsm4 {
namespace {
using namespace test;

Packet decode_raw4(DecodeContext& ctx, const Bytes& datagram) {
  return decode_frame(ctx, 101, datagram);
}
uint64_t layer_count(const DecodeContext& ctx, Layer l) {
  return ctx.stats().layers[static_cast<size_t>(l)];
}

TEST(Ipv4, FillsHeaderFields) {
  DecodeContext ctx;
  const Bytes d = ipv4({.src = {192, 168, 1, 10},
                        .dst = {8, 8, 4, 4},
                        .ttl = 17,
                        .tos = 0x2e,
                        .id = 0xbeef,
                        .frag = 0x4000},
                       Bytes(30, 0xaa));
  Packet p = decode_raw4(ctx, d);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, v4(192, 168, 1, 10));
  EXPECT_EQ(p.dst, v4(8, 8, 4, 4));
  EXPECT_EQ(p.ttl, 17);
  EXPECT_EQ(p.tos, 0x2e);
  EXPECT_EQ(p.ip_id, 0xbeef);
  EXPECT_EQ(p.ip_proto, kProtoExperimental);
  EXPECT_EQ(p.ip_hdr, p.data);
  EXPECT_EQ(p.ip_hdr_len, 20);
  EXPECT_EQ(p.ip_total_len, 50u);
  EXPECT_TRUE(p.frag_df);
  EXPECT_FALSE(p.is_fragment);
  EXPECT_EQ(p.payload, p.data + 20);
  EXPECT_EQ(p.payload_len, 30u);
}

TEST(Ipv4, TrailingPaddingIsTrimmedToTotalLength) {
  DecodeContext ctx;
  Bytes frame = cat({eth(0x0800), ipv4({}, {1, 2, 3, 4}), Bytes(22, 0)});  // 60-byte minimum
  Packet p = decode_frame(ctx, 1, frame);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_total_len, 24u);
  EXPECT_EQ(p.payload_len, 4u);
}

TEST(Ipv4, MalformedHeadersAreInvalid) {
  struct Case {
    const char* what;
    Bytes datagram;
    DecodeEvent event;
  };
  Bytes wrong_version = ipv4({});
  wrong_version[0] = 0x65;
  Bytes short_ihl = ipv4({});
  short_ihl[0] = 0x44;
  Bytes iplen_below_hlen = ipv4({});
  put16(iplen_below_hlen, 2, 19);
  Bytes truncated = ipv4({}, Bytes(100, 0));
  truncated.resize(60);  // header says 120
  const Case cases[] = {
      {"too small", Bytes(19, 0x45), DecodeEvent::IPV4_PKT_TOO_SMALL},
      {"version", wrong_version, DecodeEvent::IPV4_WRONG_IP_VER},
      {"ihl", short_ihl, DecodeEvent::IPV4_HLEN_TOO_SMALL},
      {"total length", iplen_below_hlen, DecodeEvent::IPV4_IPLEN_SMALLER_THAN_HLEN},
      {"truncated", truncated, DecodeEvent::IPV4_TRUNC_PKT},
  };
  for (const auto& c : cases) {
    DecodeContext ctx;
    Packet p;
    decode_layer(ctx, p, Layer::kIpv4, c.datagram.data(), static_cast<uint32_t>(c.datagram.size()));
    EXPECT_TRUE(p.invalid) << c.what;
    EXPECT_TRUE(p.has_event(c.event)) << c.what;
    EXPECT_EQ(p.ip_version, 0) << c.what;
  }
}

TEST(Ipv4, HeaderLongerThanCaptureIsTruncated) {
  DecodeContext ctx;
  Bytes d = ipv4({.options = {1, 1, 1, 0}});
  d[0] = 0x4f;  // 60-byte header in a 28-byte datagram
  put16(d, 2, 60);
  Packet p = decode_raw4(ctx, d);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_TRUNC_PKT));
}

TEST(Ipv4, FirstFragmentStopsBeforeTransport) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.proto = 17, .id = 77, .frag = 0x2000}, Bytes(16, 0)));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.frag_more);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_EQ(p.frag_id, 77u);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(layer_count(ctx, Layer::kUdp), 0u);
  EXPECT_EQ(p.l4, Layer::kCount);
  EXPECT_EQ(p.payload_len, 16u);
}

TEST(Ipv4, LaterFragmentOffsetIsInBytes) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.proto = 6, .frag = 185}, Bytes(8, 0)));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.frag_more);
  EXPECT_EQ(p.frag_offset, 1480);
  EXPECT_EQ(layer_count(ctx, Layer::kTcp), 0u);
}

TEST(Ipv4, ReservedFlagIsRecorded) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.frag = 0x8000}));
  EXPECT_TRUE(p.frag_rf);
  EXPECT_FALSE(p.is_fragment);
}

TEST(Ipv4, NonFragmentGoesToTheTransportDecoder) {
  DecodeContext ctx;
  decode_raw4(ctx, ipv4({.proto = 17}, Bytes(8, 0)));
  EXPECT_EQ(layer_count(ctx, Layer::kUdp), 1u);
}

TEST(Ipv4, ChecksumValidatedOnlyWhenEnabled) {
  Bytes bad = ipv4({});
  bad[10] ^= 0xff;
  DecodeContext off;
  EXPECT_FALSE(decode_raw4(off, bad).has_event(DecodeEvent::IPV4_CHECKSUM_INVALID));

  DecodeContext on(DecodeConfig{.checksum = ChecksumMode::kOn});
  Packet p = decode_raw4(on, bad);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_CHECKSUM_INVALID));
  EXPECT_FALSE(p.invalid);
  EXPECT_FALSE(decode_raw4(on, ipv4({})).has_event(DecodeEvent::IPV4_CHECKSUM_INVALID));
  // Options are covered by the checksum too.
  EXPECT_FALSE(decode_raw4(on, ipv4({.options = {1, 1, 1, 0}}))
                   .has_event(DecodeEvent::IPV4_CHECKSUM_INVALID));
}

TEST(Ipv4, OptionsSetBitsAndAnomaliesDoNotInvalidate) {
  DecodeContext ctx;
  // Router alert (4 bytes): valid, but Suricata wants 8-byte padding.
  Packet p = decode_raw4(ctx, ipv4({.options = {148, 4, 0, 0}}));
  EXPECT_EQ(p.ip_opts, kIpOptRtralt);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_OPT_PAD_REQUIRED));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_hdr_len, 24);

  Packet bad = decode_raw4(ctx, ipv4({.options = {7, 40, 4, 0}}));  // RR longer than the area
  EXPECT_TRUE(bad.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));
  EXPECT_EQ(bad.ip_opts, 0);
  EXPECT_FALSE(bad.invalid);
  EXPECT_EQ(bad.ip_version, 4);
}

TEST(Ipv4, IcmpV6InIpv4IsInvalid) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.proto = 58}, Bytes(8, 0)));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_WITH_ICMPV6));
  EXPECT_EQ(layer_count(ctx, Layer::kIcmpv6), 0u);
}

TEST(Ipv4, IpInIpInnerHeaderWins) {
  DecodeContext ctx;
  const Bytes inner = ipv4({.src = {172, 16, 1, 1}, .dst = {172, 16, 1, 2}, .ttl = 3, .id = 9});
  Packet p = decode_raw4(ctx, ipv4({.proto = 4, .frag = 0x4000}, inner));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.src, v4(172, 16, 1, 1));
  EXPECT_EQ(p.dst, v4(172, 16, 1, 2));
  EXPECT_EQ(p.ttl, 3);
  EXPECT_EQ(p.ip_id, 9);
  EXPECT_FALSE(p.frag_df);  // the outer header's DF does not leak in
  EXPECT_EQ(p.ip_hdr, p.data + 20);
  EXPECT_EQ(p.ip_proto, kProtoExperimental);
}

TEST(Ipv4, InnerFragmentOfIpInIpIsAFragment) {
  DecodeContext ctx;
  const Bytes inner = ipv4({.proto = 17, .frag = 0x2000}, Bytes(16, 0));
  Packet p = decode_raw4(ctx, ipv4({.proto = 4}, inner));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(layer_count(ctx, Layer::kUdp), 0u);
}

TEST(Ipv4, SixInFourHandsOnToIpv6) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.proto = 41}, ipv6(59, {})));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(layer_count(ctx, Layer::kIpv6), 1u);
}

TEST(Ipv4, OuterFragmentOfATunnelIsNotDecodedFurther) {
  DecodeContext ctx;
  Packet p = decode_raw4(ctx, ipv4({.proto = 41, .frag = 0x2000}, ipv6(59, {})));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(layer_count(ctx, Layer::kIpv6), 0u);
}

TEST(Ipv4, EndlessIpInIpIsBounded) {
  DecodeContext ctx;
  Bytes d = ipv4({.proto = 4});
  for (int i = 0; i < 40; ++i) d = ipv4({.proto = 4}, d);
  Packet p = decode_raw4(ctx, d);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::TOO_MANY_LAYERS));
}

}  // namespace
}  // namespace nsm4
