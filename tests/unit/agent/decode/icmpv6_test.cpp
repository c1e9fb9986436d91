#include <gtest/gtest.h>

#include "agent/decode/ipv6_test_packets.h"
#include "decode/decoders.h"

namespace nsm4 {
namespace {

using test::Bytes;
using test::cat;
using test::decode_raw_ipv6;
using test::ipv6;
using test::v6addr;

constexpr uint8_t kIcmpv6 = 58;

Packet decode_msg(DecodeContext& ctx, const Bytes& msg, uint8_t hop_limit = 64) {
  return decode_raw_ipv6(ctx, ipv6(kIcmpv6, msg, hop_limit));
}

const Bytes kMac = {0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc};

Bytes lladdr_option(uint8_t type) {
  return cat({{type, 1}, kMac});
}
Bytes mtu_option(uint32_t mtu) {
  return {5,
          1,
          0,
          0,
          static_cast<uint8_t>(mtu >> 24),
          static_cast<uint8_t>(mtu >> 16),
          static_cast<uint8_t>(mtu >> 8),
          static_cast<uint8_t>(mtu)};
}
Bytes prefix_option() {  // 2001:db8:1::/64, L and A set
  return cat({{3, 4, 64, 0xc0, 0, 0x27, 0x8d, 0, 0, 0, 0x3a, 0x98, 0, 0, 0, 0},
              {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}});
}

// Router Advertisement: hop limit 64, M and O flags, lifetime 1800 s,
// reachable 30000 ms, retrans 1000 ms, then `options`.
Bytes router_advert(const Bytes& options, uint16_t lifetime = 1800) {
  return cat({{134, 0, 0, 0, 64, 0xc0, static_cast<uint8_t>(lifetime >> 8),
               static_cast<uint8_t>(lifetime), 0, 0, 0x75, 0x30, 0, 0, 0x03, 0xe8},
              options});
}

TEST(Icmpv6Decoder, EchoRequest) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, {128, 0, 0, 0, 0x12, 0x34, 0x00, 0x07, 'p', 'i', 'n', 'g'});
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kIcmpv6);
  EXPECT_EQ(p.icmp_type, 128);
  EXPECT_EQ(p.icmp_id, 0x1234);
  EXPECT_EQ(p.icmp_seq, 7);
  EXPECT_EQ(p.l4_hdr_len, 8);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(p.event_count, 0);
}

TEST(Icmpv6Decoder, TooSmall) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, {128, 0, 0, 0, 0, 1, 0});
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV6_PKT_TOO_SMALL));
}

TEST(Icmpv6Decoder, UnknownCode) {
  DecodeContext ctx;
  EXPECT_TRUE(
      decode_msg(ctx, {129, 3, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV6_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_msg(ctx, {1, 7, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV6_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_msg(ctx, {2, 1, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV6_UNKNOWN_CODE));
  EXPECT_FALSE(
      decode_msg(ctx, {155, 130, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV6_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_msg(ctx, {155, 4, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV6_UNKNOWN_CODE));
}

TEST(Icmpv6Decoder, UnassignedExperimentalAndUnknownTypes) {
  DecodeContext ctx;
  auto has = [&](uint8_t type, DecodeEvent e) {
    return decode_msg(ctx, {type, 0, 0, 0, 0, 0, 0, 0}).has_event(e);
  };
  EXPECT_TRUE(has(5, DecodeEvent::ICMPV6_UNASSIGNED_TYPE));
  EXPECT_TRUE(has(100, DecodeEvent::ICMPV6_EXPERIMENTATION_TYPE));
  EXPECT_TRUE(has(101, DecodeEvent::ICMPV6_EXPERIMENTATION_TYPE));
  EXPECT_TRUE(has(102, DecodeEvent::ICMPV6_UNASSIGNED_TYPE));
  EXPECT_TRUE(has(127, DecodeEvent::ICMPV6_UNKNOWN_TYPE));
  EXPECT_TRUE(has(0, DecodeEvent::ICMPV6_UNKNOWN_TYPE));
  EXPECT_TRUE(has(170, DecodeEvent::ICMPV6_UNASSIGNED_TYPE));
  EXPECT_TRUE(has(200, DecodeEvent::ICMPV6_EXPERIMENTATION_TYPE));
  EXPECT_TRUE(has(255, DecodeEvent::ICMPV6_UNASSIGNED_TYPE));
  EXPECT_EQ(decode_msg(ctx, {143, 0, 0, 0, 0, 0, 0, 0}, 1).event_count, 0);  // MLDv2 report
}

TEST(Icmpv6Decoder, MldNeedsHopLimitOne) {
  DecodeContext ctx;
  const Bytes query = cat({{130, 0, 0, 0, 0, 0, 0, 0}, Bytes(16, 0)});
  EXPECT_EQ(decode_msg(ctx, query, 1).event_count, 0);
  EXPECT_TRUE(
      decode_msg(ctx, query, 64).has_event(DecodeEvent::ICMPV6_MLD_MESSAGE_WITH_INVALID_HL));
}

TEST(Icmpv6Decoder, ErrorMessageQuotesIpv6) {
  DecodeContext ctx;
  const Bytes quoted = ipv6(17, test::udp(1, 2), 64, v6addr(9), v6addr(10));
  Packet p = decode_msg(ctx, cat({{1, 4, 0, 0, 0, 0, 0, 0}, quoted}));
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.src, IpAddr::v6(v6addr(1).data()));  // the quote does not replace the addresses
  EXPECT_EQ(p.l4_hdr_len, 8);

  Packet trunc =
      decode_msg(ctx, cat({{3, 0, 0, 0, 0, 0, 0, 0}, Bytes(quoted.begin(), quoted.begin() + 39)}));
  EXPECT_TRUE(trunc.has_event(DecodeEvent::ICMPV6_IPV6_TRUNC_PKT));
  EXPECT_FALSE(trunc.invalid);

  Bytes v4 = quoted;
  v4[0] = 0x45;
  EXPECT_TRUE(decode_msg(ctx, cat({{2, 0, 0, 0, 0, 0, 5, 0xdc}, v4}))
                  .has_event(DecodeEvent::ICMPV6_IPV6_UNKNOWN_VER));
}

TEST(Icmpv6Decoder, RouterAdvertisementFields) {
  DecodeContext ctx;
  const Bytes frame = ipv6(
      kIcmpv6,
      router_advert(cat({lladdr_option(1), mtu_option(1480), prefix_option(), prefix_option()})),
      255);
  Packet p = decode_raw_ipv6(ctx, frame);
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.icmp_type, 134);
  EXPECT_EQ(p.nd.cur_hop_limit, 64);
  EXPECT_EQ(p.nd.ra_flags, 0xc0);
  EXPECT_EQ(p.nd.router_lifetime, 1800);
  EXPECT_EQ(p.nd.reachable_time, 30000u);
  EXPECT_EQ(p.nd.retrans_timer, 1000u);
  EXPECT_TRUE(p.nd.has_src_lladdr);
  EXPECT_EQ(Bytes(p.nd.lladdr, p.nd.lladdr + 6), kMac);
  EXPECT_EQ(p.nd.mtu, 1480u);
  EXPECT_EQ(p.nd.prefix_count, 2);
  // Rules match the RA body from after the 4-byte type/code/checksum.
  EXPECT_EQ(p.l4_hdr_len, 4);
  EXPECT_EQ(p.payload[2], 0x07);  // router lifetime high byte (1800 = 0x0708)
}

TEST(Icmpv6Decoder, RouterAdvertisementWithZeroLifetime) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, router_advert({}, 0), 255);
  EXPECT_EQ(p.nd.router_lifetime, 0);
  EXPECT_EQ(p.nd.prefix_count, 0);
  EXPECT_EQ(p.nd.mtu, 0u);
  EXPECT_FALSE(p.nd.has_src_lladdr);
}

TEST(Icmpv6Decoder, NeighborDiscoveryNeedsHopLimit255) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, router_advert({}), 64);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV6_ND_INVALID_HL));
  EXPECT_EQ(p.nd.router_lifetime, 1800);  // still decoded
}

TEST(Icmpv6Decoder, ZeroLengthOptionIsInvalid) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, router_advert(cat({{1, 0, 0, 0, 0, 0, 0, 0}, mtu_option(1400)})), 255);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV6_ND_OPT_INVALID));
  EXPECT_EQ(p.nd.mtu, 0u);  // parsing stopped at the bad option
  Packet q =
      decode_msg(ctx, router_advert({5, 2, 0, 0, 0, 0, 5, 0xdc}), 255);  // 16 claimed, 8 there
  EXPECT_TRUE(q.has_event(DecodeEvent::ICMPV6_ND_OPT_INVALID));
}

TEST(Icmpv6Decoder, RouterSolicitation) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, cat({{133, 0, 0, 0, 0, 0, 0, 0}, lladdr_option(1)}), 255);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_TRUE(p.nd.has_src_lladdr);
  EXPECT_EQ(p.nd.lladdr[5], 0xcc);
}

TEST(Icmpv6Decoder, NeighborSolicitationAndAdvertisement) {
  DecodeContext ctx;
  const Bytes target = v6addr(0x77);
  Packet ns = decode_msg(ctx, cat({{135, 0, 0, 0, 0, 0, 0, 0}, target, lladdr_option(1)}), 255);
  EXPECT_EQ(ns.event_count, 0);
  EXPECT_EQ(ns.nd.target, IpAddr::v6(target.data()));
  EXPECT_TRUE(ns.nd.has_src_lladdr);

  // Solicited and Override set.
  Packet na = decode_msg(ctx, cat({{136, 0, 0, 0, 0x60, 0, 0, 0}, target, lladdr_option(2)}), 255);
  EXPECT_EQ(na.event_count, 0);
  EXPECT_EQ(na.nd.na_flags, 0x60000000u);
  EXPECT_EQ(na.nd.target, IpAddr::v6(target.data()));
  EXPECT_TRUE(na.nd.has_tgt_lladdr);
  EXPECT_FALSE(na.nd.has_src_lladdr);
}

TEST(Icmpv6Decoder, Redirect) {
  DecodeContext ctx;
  const Bytes target = v6addr(0x21), dest = v6addr(0x22);
  Packet p =
      decode_msg(ctx, cat({{137, 0, 0, 0, 0, 0, 0, 0}, target, dest, lladdr_option(2)}), 255);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.nd.target, IpAddr::v6(target.data()));
  EXPECT_TRUE(p.nd.has_tgt_lladdr);
}

TEST(Icmpv6Decoder, NeighborSolicitationCutShort) {
  DecodeContext ctx;
  Packet p = decode_msg(ctx, cat({{135, 0, 0, 0, 0, 0, 0, 0}, Bytes(8, 0)}), 255);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV6_PKT_TOO_SMALL));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.nd.target.version, 0);
}

TEST(Icmpv6Decoder, Checksum) {
  Bytes good = ipv6(kIcmpv6, router_advert({}), 255);
  test::fix_v6_checksum(good, 2);
  Bytes bad = good;
  bad[50] ^= 0x01;
  DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
  EXPECT_EQ(decode_raw_ipv6(ctx, good).event_count, 0);
  Packet p = decode_raw_ipv6(ctx, bad);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV6_CHECKSUM_INVALID));
  EXPECT_FALSE(p.invalid);
  DecodeContext off;
  EXPECT_EQ(decode_raw_ipv6(off, bad).event_count, 0);
}

TEST(Icmpv6Decoder, EveryTruncationIsSafe) {
  const Bytes msgs[] = {
      router_advert(cat({lladdr_option(1), mtu_option(1480), prefix_option()})),
      cat({{136, 0, 0, 0, 0x60, 0, 0, 0}, v6addr(3), lladdr_option(2)}),
      cat({{137, 0, 0, 0, 0, 0, 0, 0}, v6addr(3), v6addr(4), {1, 1, 0, 0}}),
      cat({{4, 0, 0, 0, 0, 0, 0, 40}, ipv6(17, test::udp(1, 2))}),
  };
  for (const Bytes& full : msgs) {
    for (size_t n = 0; n <= full.size(); ++n) {
      DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
      Packet p;
      p.ip_version = 6;
      p.ttl = 255;
      const Bytes part(full.begin(), full.begin() + static_cast<long>(n));
      decode_icmpv6(ctx, p, part.data(), static_cast<uint32_t>(n));
      EXPECT_EQ(p.invalid, n < 8) << n;
    }
  }
}

}  // namespace
}  // namespace nsm4
