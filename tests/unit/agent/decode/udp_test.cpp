#include <gtest/gtest.h>

#include "agent/decode/ipv6_test_packets.h"
#include "decode/decoders.h"

namespace nsm4 {
namespace {

using test::Bytes;
using test::cat;
using test::decode_raw_ipv6;
using test::ipv6;
using test::udp;
using test::v6addr;

constexpr uint8_t kUdp = 17;

TEST(UdpDecoder, PortsAndPayload) {
  DecodeContext ctx;
  const Bytes frame = ipv6(kUdp, udp(33000, 53, {1, 2, 3, 4, 5}));
  Packet p = decode_raw_ipv6(ctx, frame);
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.sport, 33000);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(p.l4_hdr_len, 8);
  EXPECT_EQ(p.payload_len, 5u);
  EXPECT_EQ(p.payload[0], 1);
  EXPECT_EQ(p.event_count, 0);
}

TEST(UdpDecoder, ShorterThanHeader) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, {0, 1, 0, 2, 0, 8, 0}));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::UDP_HLEN_TOO_SMALL));
  EXPECT_EQ(p.l4, Layer::kCount);
}

TEST(UdpDecoder, LengthFieldBeyondDatagram) {
  DecodeContext ctx;
  Bytes u = udp(1, 2, {1, 2, 3});
  u[5] = 20;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, u));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::UDP_PKT_TOO_SMALL));
}

TEST(UdpDecoder, LengthFieldBelowHeader) {
  DecodeContext ctx;
  Bytes u = udp(1, 2, {1, 2, 3});
  u[5] = 4;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, u));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::UDP_LEN_INVALID));
}

TEST(UdpDecoder, LengthFieldShorterThanIpPayloadEndsTheDatagram) {
  DecodeContext ctx;
  Bytes u = udp(1, 2, {1, 2, 3, 4, 5, 6});
  u[5] = 10;  // 2 bytes of payload; the rest is trailing garbage
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, u));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.payload_len, 2u);
  EXPECT_EQ(p.event_count, 0);
}

TEST(UdpDecoder, Ipv6ChecksumIncludingZero) {
  Bytes good = ipv6(kUdp, udp(1000, 2000, {'a', 'b', 'c'}));
  test::fix_v6_checksum(good, 6);
  Bytes bad = good;
  bad.back() ^= 0x01;
  Bytes zero = good;
  zero[46] = zero[47] = 0;

  DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
  EXPECT_EQ(decode_raw_ipv6(ctx, good).event_count, 0);
  Packet p = decode_raw_ipv6(ctx, bad);
  EXPECT_TRUE(p.has_event(DecodeEvent::UDP_CHECKSUM_INVALID));
  EXPECT_FALSE(p.invalid);
  // RFC 8200 8.1: a zero UDP checksum is not allowed over IPv6.
  EXPECT_TRUE(decode_raw_ipv6(ctx, zero).has_event(DecodeEvent::UDP_CHECKSUM_INVALID));

  DecodeContext off;
  EXPECT_EQ(decode_raw_ipv6(off, bad).event_count, 0);
}

TEST(UdpDecoder, Ipv4ZeroChecksumMeansNone) {
  const uint8_t src[] = {192, 168, 1, 1}, dst[] = {192, 168, 1, 2};
  auto decode = [&](const Bytes& u) {
    DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
    Packet p;
    p.ip_version = 4;
    p.src = IpAddr::v4(src);
    p.dst = IpAddr::v4(dst);
    decode_udp(ctx, p, u.data(), static_cast<uint32_t>(u.size()));
    return p;
  };
  Bytes u = udp(68, 67, {9, 9, 9});
  EXPECT_EQ(decode(u).event_count, 0);  // checksum field 0
  Packet probe;
  probe.src = IpAddr::v4(src);
  probe.dst = IpAddr::v4(dst);
  const uint16_t c = inet_checksum(u.data(), u.size(), pseudo_header_sum_v4(probe, kUdp, 11));
  u[6] = static_cast<uint8_t>(c >> 8);
  u[7] = static_cast<uint8_t>(c);
  EXPECT_EQ(decode(u).event_count, 0);
  u[8] ^= 0x40;
  EXPECT_TRUE(decode(u).has_event(DecodeEvent::UDP_CHECKSUM_INVALID));
}

// An Ethernet frame carrying IPv6/UDP, as a VXLAN or Geneve payload.
Bytes inner_ethernet_frame() {
  const Bytes mac_dst = {2, 0, 0, 0, 0, 1}, mac_src = {2, 0, 0, 0, 0, 2};
  return cat({mac_dst,
              mac_src,
              {0x86, 0xdd},
              ipv6(kUdp, udp(7777, 8888, {'i', 'n'}), 30, v6addr(0xa1), v6addr(0xa2))});
}

TEST(UdpDecoder, VxlanPortHandsOnToTheTunnel) {
  const Bytes vxlan = cat({{0x08, 0, 0, 0, 0, 0x12, 0x34, 0}, inner_ethernet_frame()});
  const Bytes frame = ipv6(kUdp, udp(50000, 4789, vxlan));
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, frame);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.src, IpAddr::v6(v6addr(0xa1).data()));
  EXPECT_EQ(p.sport, 7777);
  EXPECT_EQ(p.dport, 8888);

  DecodeConfig no_vxlan;
  no_vxlan.vxlan = false;
  DecodeContext disabled(no_vxlan);
  Packet q = decode_raw_ipv6(disabled, frame);
  EXPECT_EQ(q.tunnel_depth, 0);
  EXPECT_EQ(q.dport, 4789);
  EXPECT_EQ(q.payload_len, vxlan.size());
}

TEST(UdpDecoder, VxlanIsOnlyTheDestinationPort) {
  const Bytes vxlan = cat({{0x08, 0, 0, 0, 0, 0x12, 0x34, 0}, inner_ethernet_frame()});
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, udp(4789, 50000, vxlan)));
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.sport, 4789);
}

TEST(UdpDecoder, TeredoOnEitherPort) {
  const Bytes inner = ipv6(kUdp, udp(1111, 2222), 21, v6addr(0xb1), v6addr(0xb2));
  for (bool server_side : {false, true}) {
    DecodeContext ctx;
    Packet p = decode_raw_ipv6(
        ctx, ipv6(kUdp, server_side ? udp(3544, 60000, inner) : udp(60000, 3544, inner)));
    EXPECT_EQ(p.tunnel_depth, 1) << server_side;
    EXPECT_EQ(p.dst, IpAddr::v6(v6addr(0xb2).data()));
    EXPECT_EQ(p.sport, 1111);
  }
}

TEST(UdpDecoder, TeredoBubbleHasNoTransport) {
  const Bytes bubble = ipv6(59, {}, 21, v6addr(0xb1), v6addr(0xb2));
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, udp(60000, 3544, bubble)));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.ip_proto, 59);
  EXPECT_EQ(p.l4, Layer::kCount);  // the outer UDP ports do not leak in
  EXPECT_EQ(p.sport, 0);
}

TEST(UdpDecoder, NotTeredoStaysUdp) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kUdp, udp(60000, 3544, Bytes(48, 0x45))));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 0);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 3544);
  EXPECT_EQ(p.payload_len, 48u);
}

TEST(UdpDecoder, EveryTruncationIsSafe) {
  const Bytes vxlan = cat({{0x08, 0, 0, 0, 0, 0x12, 0x34, 0}, inner_ethernet_frame()});
  const Bytes full = udp(50000, 4789, vxlan);
  for (size_t n = 0; n <= full.size(); ++n) {
    Bytes u(full.begin(), full.begin() + static_cast<long>(n));
    DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
    Packet p;
    p.ip_version = 6;
    decode_udp(ctx, p, u.data(), static_cast<uint32_t>(u.size()));
    EXPECT_EQ(p.invalid, n < full.size()) << n;
  }
}

}  // namespace
}  // namespace nsm4
