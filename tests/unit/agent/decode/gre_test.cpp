#include <gtest/gtest.h>

#include "agent/decode/frames.h"

namespace nsm4 {
namespace {
using namespace test;

const Bytes kInner = ipv4({.src = {172, 16, 0, 1}, .dst = {172, 16, 0, 2}});

// Outer IPv4 (proto 47) around a GRE header and payload.
Packet decode_gre_frame(DecodeContext& ctx, const Bytes& gre_and_payload) {
  static Bytes frame;  // keeps the bytes alive for the returned views
  frame = cat({eth(0x0800), ipv4({.proto = 47}, gre_and_payload)});
  return decode_frame(ctx, 1, frame);
}
bool inner_decoded(const Packet& p) {
  return !p.invalid && p.tunnel_depth == 1 && p.src == v4(172, 16, 0, 1) &&
         p.dst == v4(172, 16, 0, 2);
}

TEST(Gre, Version0Ipv4) {
  DecodeContext ctx;
  Packet p = decode_gre_frame(ctx, cat({Bytes{0x00, 0x00, 0x08, 0x00}, kInner}));
  EXPECT_TRUE(inner_decoded(p));
  EXPECT_EQ(p.event_count, 0);
}

TEST(Gre, Version0WithChecksumKeyAndSequence) {
  DecodeContext ctx;
  Packet p = decode_gre_frame(ctx, cat({Bytes{0xb0, 0x00, 0x08, 0x00}, Bytes(4, 0),
                                        Bytes{0, 0, 0, 42}, Bytes{0, 0, 0, 7}, kInner}));
  EXPECT_TRUE(inner_decoded(p));
}

TEST(Gre, Version0WithSourceRoute) {
  DecodeContext ctx;
  // Routing present: checksum/offset word, one SRE of 4 route bytes, then the
  // terminating SRE (af 0, length 0).
  Packet p = decode_gre_frame(
      ctx, cat({Bytes{0x40, 0x00, 0x08, 0x00}, Bytes(4, 0), Bytes{0x08, 0x00, 0, 4},
                Bytes{1, 2, 3, 4}, Bytes{0, 0, 0, 0}, kInner}));
  EXPECT_TRUE(inner_decoded(p));

  DecodeContext ctx2;
  Packet bad = decode_gre_frame(
      ctx2, cat({Bytes{0x40, 0x00, 0x08, 0x00}, Bytes(4, 0), Bytes{0x08, 0x00, 0, 200}}));
  EXPECT_TRUE(bad.invalid);
  EXPECT_TRUE(bad.has_event(DecodeEvent::GRE_VERSION0_MALFORMED_SRE_HDR));

  DecodeContext ctx3;
  Packet unterminated = decode_gre_frame(ctx3, cat({Bytes{0x40, 0x00, 0x08, 0x00}, Bytes(4, 0)}));
  EXPECT_TRUE(unterminated.has_event(DecodeEvent::GRE_VERSION0_MALFORMED_SRE_HDR));
}

TEST(Gre, MalformedHeaders) {
  struct Case {
    const char* what;
    Bytes gre;
    DecodeEvent event;
  };
  const Case cases[] = {
      {"too small", {0x00, 0x00, 0x08}, DecodeEvent::GRE_PKT_TOO_SMALL},
      {"version 2", {0x00, 0x02, 0x08, 0x00}, DecodeEvent::GRE_WRONG_VERSION},
      {"v0 recursion", {0x01, 0x00, 0x08, 0x00}, DecodeEvent::GRE_VERSION0_RECUR},
      {"v0 flags", {0x00, 0x08, 0x08, 0x00}, DecodeEvent::GRE_VERSION0_FLAGS},
      {"v0 key missing", {0x20, 0x00, 0x08, 0x00, 0, 0}, DecodeEvent::GRE_VERSION0_HDR_TOO_BIG},
      {"v1 checksum", {0xa0, 0x01, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_CHKSUM},
      {"v1 routing", {0x60, 0x01, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_ROUTE},
      {"v1 ssr", {0x28, 0x01, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_SSR},
      {"v1 recursion", {0x21, 0x01, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_RECUR},
      {"v1 flags", {0x20, 0x09, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_FLAGS},
      {"v1 not ppp", {0x20, 0x01, 0x08, 0x00}, DecodeEvent::GRE_VERSION1_WRONG_PROTOCOL},
      {"v1 no key", {0x00, 0x01, 0x88, 0x0b}, DecodeEvent::GRE_VERSION1_NO_KEY},
      {"v1 seq missing",
       {0x30, 0x01, 0x88, 0x0b, 0, 4, 0, 1},
       DecodeEvent::GRE_VERSION1_HDR_TOO_BIG},
  };
  for (const auto& c : cases) {
    DecodeContext ctx;
    Packet p = decode_gre_frame(ctx, c.gre);
    EXPECT_TRUE(p.invalid) << c.what;
    EXPECT_TRUE(p.has_event(c.event)) << c.what;
    EXPECT_EQ(p.tunnel_depth, 0) << c.what;
  }
}

// PPTP: key (payload length, call id), sequence number, then PPP.
Bytes pptp(const Bytes& ppp) {
  Bytes h = {0x30, 0x01, 0x88, 0x0b, 0, 0, 0x12, 0x34, 0, 0, 0, 1};
  put16(h, 4, static_cast<uint16_t>(ppp.size()));
  return cat({h, ppp});
}

TEST(Gre, PptpCarriesPppIpv4) {
  DecodeContext ctx;
  EXPECT_TRUE(
      inner_decoded(decode_gre_frame(ctx, pptp(cat({Bytes{0xff, 0x03, 0x00, 0x21}, kInner})))));
  // Address/control and protocol field compressed.
  DecodeContext ctx2;
  EXPECT_TRUE(inner_decoded(decode_gre_frame(ctx2, pptp(cat({Bytes{0x21}, kInner})))));
}

TEST(Gre, PptpControlAndAckOnlyPacketsStop) {
  DecodeContext ctx;
  Packet lcp = decode_gre_frame(ctx, pptp({0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4}));
  EXPECT_FALSE(lcp.invalid);
  EXPECT_EQ(lcp.tunnel_depth, 0);
  EXPECT_EQ(lcp.src, v4(10, 0, 0, 1));

  // Ack flag, no sequence number, payload length 0.
  Packet ack = decode_gre_frame(ctx, {0x20, 0x81, 0x88, 0x0b, 0, 0, 0x12, 0x34, 0, 0, 0, 9});
  EXPECT_FALSE(ack.invalid);
  EXPECT_EQ(ack.event_count, 0);
  EXPECT_EQ(ack.tunnel_depth, 0);
}

TEST(Gre, TransparentEthernetBridgingKeepsOuterMacs) {
  DecodeContext ctx;
  const Bytes inner_mac = {0xde, 0xad, 0xbe, 0xef, 0, 1};
  Packet p = decode_gre_frame(
      ctx, cat({Bytes{0x00, 0x00, 0x65, 0x58}, eth(0x0800, inner_mac, inner_mac), kInner}));
  EXPECT_TRUE(inner_decoded(p));
  EXPECT_EQ(Bytes(p.eth_src, p.eth_src + 6), kMacSrc);
}

TEST(Gre, ErspanTypeII) {
  DecodeContext ctx;
  // Version 1, VLAN 33, session 5, index 0.
  const Bytes erspan = {0x10, 0x21, 0x00, 0x05, 0, 0, 0, 0};
  Packet p = decode_gre_frame(
      ctx, cat({Bytes{0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1}, erspan, eth(0x0800), kInner}));
  EXPECT_TRUE(inner_decoded(p));
  ASSERT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan[0], 33);

  Packet bad = decode_gre_frame(ctx, cat({Bytes{0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1},
                                          Bytes{0x20, 0, 0, 5, 0, 0, 0, 0}, eth(0x0800), kInner}));
  EXPECT_TRUE(bad.has_event(DecodeEvent::ERSPAN_UNSUPPORTED_VERSION));
  Packet small = decode_gre_frame(ctx, Bytes{0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0});
  EXPECT_TRUE(small.has_event(DecodeEvent::ERSPAN_HEADER_TOO_SMALL));
}

TEST(Gre, TruncatedInnerPacketIsReported) {
  DecodeContext ctx;
  Bytes inner = kInner;
  inner.resize(22);
  Packet p = decode_gre_frame(ctx, cat({Bytes{0x00, 0x00, 0x08, 0x00}, inner}));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV4_TRUNC_PKT));
}

}  // namespace
}  // namespace nsm4
