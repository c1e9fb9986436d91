#include <gtest/gtest.h>

#include "agent/decode/ipv6_test_packets.h"
#include "decode/decoders.h"

namespace nsm4 {
namespace {

using test::Bytes;
using test::cat;

const uint8_t kSrc[] = {4, 3, 2, 1};
const uint8_t kDst[] = {1, 2, 3, 4};

// Decodes `msg` as the ICMP payload of an IPv4 packet 4.3.2.1 -> 1.2.3.4.
Packet decode_icmp(DecodeContext& ctx, const Bytes& msg) {
  Packet p;
  p.ip_version = 4;
  p.src = IpAddr::v4(kSrc);
  p.dst = IpAddr::v4(kDst);
  p.ip_proto = 1;
  decode_icmpv4(ctx, p, msg.data(), static_cast<uint32_t>(msg.size()));
  return p;
}

Bytes with_checksum(Bytes msg) {
  msg[2] = msg[3] = 0;
  const uint16_t c = inet_checksum(msg.data(), msg.size());
  msg[2] = static_cast<uint8_t>(c >> 8);
  msg[3] = static_cast<uint8_t>(c);
  return msg;
}

// Echo request from Suricata's DecodeICMPV4test01.
const Bytes kEcho = {0x08, 0x00, 0x78, 0x47, 0xfc, 0x55, 0x00, 0x04, 0x52, 0xab,
                     0x86, 0x4a, 0x84, 0x50, 0x0e, 0x00, 0xab, 0xab, 0xab, 0xab};

// Time exceeded quoting 192.168.1.13 -> 209.85.227.147 UDP (DecodeICMPV4test03).
const Bytes kTimeExceeded = {0x0b, 0x00, 0x6a, 0x3d, 0x00, 0x00, 0x00, 0x00, 0x45,
                             0x00, 0x00, 0x3c, 0x64, 0x15, 0x00, 0x00, 0x01, 0x11,
                             0xde, 0xfd, 0xc0, 0xa8, 0x01, 0x0d, 0xd1, 0x55, 0xe3,
                             0x93, 0x8b, 0x12, 0x82, 0xaa, 0x00, 0x28, 0x7c, 0xdd};

TEST(Icmpv4Decoder, EchoRequest) {
  DecodeContext ctx;
  Packet p = decode_icmp(ctx, kEcho);
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kIcmpv4);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_EQ(p.icmp_code, 0);
  EXPECT_EQ(p.icmp_id, 0xfc55);
  EXPECT_EQ(p.icmp_seq, 4);
  EXPECT_EQ(p.l4_hdr_len, 8);
  EXPECT_EQ(p.payload_len, kEcho.size() - 8);
  EXPECT_EQ(p.event_count, 0);
}

TEST(Icmpv4Decoder, TooSmall) {
  DecodeContext ctx;
  Packet p = decode_icmp(ctx, Bytes(kEcho.begin(), kEcho.begin() + 7));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV4_PKT_TOO_SMALL));
  EXPECT_EQ(p.l4, Layer::kCount);
}

TEST(Icmpv4Decoder, ErrorMessageQuoteDoesNotChangeTheAddresses) {
  DecodeContext ctx;
  Packet p = decode_icmp(ctx, kTimeExceeded);
  EXPECT_EQ(p.icmp_type, 11);
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.src, IpAddr::v4(kSrc));
  EXPECT_EQ(p.dst, IpAddr::v4(kDst));
}

TEST(Icmpv4Decoder, TruncatedOrWrongVersionQuote) {
  DecodeContext ctx;
  Packet trunc = decode_icmp(ctx, Bytes(kTimeExceeded.begin(), kTimeExceeded.begin() + 20));
  EXPECT_TRUE(trunc.has_event(DecodeEvent::ICMPV4_IPV4_TRUNC_PKT));
  EXPECT_FALSE(trunc.invalid);  // the ICMP message itself is fine: it still forms a flow

  Bytes v6 = kTimeExceeded;
  v6[8] = 0x65;
  EXPECT_TRUE(decode_icmp(ctx, v6).has_event(DecodeEvent::ICMPV4_IPV4_UNKNOWN_VER));

  Bytes unreach = kTimeExceeded;
  unreach[0] = 3;
  unreach[8] = 0x65;
  EXPECT_TRUE(decode_icmp(ctx, unreach).has_event(DecodeEvent::ICMPV4_IPV4_UNKNOWN_VER));
  // A bare 8-byte unreachable has nothing quoted and nothing to report.
  EXPECT_EQ(decode_icmp(ctx, {3, 1, 0, 0, 0, 0, 0, 0}).event_count, 0);
}

TEST(Icmpv4Decoder, UnknownCodesAndTypes) {
  DecodeContext ctx;
  EXPECT_TRUE(
      decode_icmp(ctx, {8, 1, 0, 0, 0, 1, 0, 1}).has_event(DecodeEvent::ICMPV4_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_icmp(ctx, {3, 16, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV4_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_icmp(ctx, {5, 4, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV4_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_icmp(ctx, {11, 2, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV4_UNKNOWN_CODE));
  EXPECT_TRUE(
      decode_icmp(ctx, {42, 0, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV4_UNKNOWN_TYPE));
  EXPECT_FALSE(
      decode_icmp(ctx, {3, 15, 0, 0, 0, 0, 0, 0}).has_event(DecodeEvent::ICMPV4_UNKNOWN_CODE));
}

TEST(Icmpv4Decoder, TimestampNeedsItsBody) {
  DecodeContext ctx;
  Packet p = decode_icmp(ctx, cat({{13, 0, 0, 0, 0, 7, 0, 9}, Bytes(12, 0)}));
  EXPECT_EQ(p.icmp_id, 7);
  EXPECT_EQ(p.icmp_seq, 9);
  EXPECT_EQ(p.l4_hdr_len, 20);
  EXPECT_EQ(p.payload_len, 0u);
  EXPECT_EQ(p.event_count, 0);
  Packet q = decode_icmp(ctx, cat({{14, 0, 0, 0, 0, 7, 0, 9}, Bytes(11, 0)}));
  EXPECT_TRUE(q.has_event(DecodeEvent::ICMPV4_IPV4_TRUNC_PKT));
}

TEST(Icmpv4Decoder, RouterAdvertisementEntries) {
  DecodeContext ctx;
  // 2 addresses of 2 words each: 16 bytes after the 8-byte header.
  Packet p = decode_icmp(ctx, cat({{9, 0, 0, 0, 2, 2, 0x07, 0x08}, Bytes(16, 1)}));
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(p.payload_len, 0u);
  Packet q = decode_icmp(ctx, cat({{9, 0, 0, 0, 2, 2, 0x07, 0x08}, Bytes(15, 1)}));
  EXPECT_TRUE(q.has_event(DecodeEvent::ICMPV4_IPV4_TRUNC_PKT));
}

TEST(Icmpv4Decoder, Checksum) {
  DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
  const Bytes good = with_checksum(kEcho);
  EXPECT_EQ(decode_icmp(ctx, good).event_count, 0);
  Bytes bad = good;
  bad[10] ^= 0x10;
  Packet p = decode_icmp(ctx, bad);
  EXPECT_TRUE(p.has_event(DecodeEvent::ICMPV4_CHECKSUM_INVALID));
  EXPECT_FALSE(p.invalid);
  DecodeContext off;
  EXPECT_EQ(decode_icmp(off, bad).event_count, 0);
}

TEST(Icmpv4Decoder, EveryTruncationIsSafe) {
  const Bytes msgs[] = {kEcho, kTimeExceeded, cat({{9, 0, 0, 0, 0xff, 0xff, 0, 0}, Bytes(8)}),
                        cat({{13, 0, 0, 0, 0, 7, 0, 9}, Bytes(12, 0)})};
  for (const Bytes& full : msgs) {
    for (size_t n = 0; n <= full.size(); ++n) {
      DecodeContext ctx(test::config_with_checksum(ChecksumMode::kOn));
      Packet p = decode_icmp(ctx, Bytes(full.begin(), full.begin() + static_cast<long>(n)));
      EXPECT_EQ(p.invalid, n < 8) << n;
    }
  }
}

}  // namespace
}  // namespace nsm4
