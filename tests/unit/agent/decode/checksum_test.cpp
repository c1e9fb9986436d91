#include "decode/checksum.h"

#include <gtest/gtest.h>

#include <vector>

namespace nsm4 {
namespace {

// RFC 1071 section 3 example: words 0001 f203 f4f5 f6f7 sum to ddf2.
TEST(Checksum, Rfc1071Example) {
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(inet_checksum(data, sizeof data), static_cast<uint16_t>(~0xddf2));
}

TEST(Checksum, OddLengthPadsWithZero) {
  const uint8_t odd[] = {0x12, 0x34, 0x56};
  const uint8_t even[] = {0x12, 0x34, 0x56, 0x00};
  EXPECT_EQ(inet_checksum(odd, 3), inet_checksum(even, 4));
}

// A real IPv4 header (from Wikipedia's example) verifies to zero, and
// computing over it with the checksum field zeroed gives the stored value.
TEST(Checksum, Ipv4HeaderVerifiesToZero) {
  uint8_t hdr[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(inet_checksum(hdr, sizeof hdr), 0);
  hdr[10] = hdr[11] = 0;
  EXPECT_EQ(inet_checksum(hdr, sizeof hdr), 0xb861);
}

TEST(Checksum, InitialSumIsAdded) {
  const uint8_t data[] = {0x00, 0x10};
  EXPECT_EQ(inet_checksum(data, 2, 0x20), static_cast<uint16_t>(~0x30));
  EXPECT_EQ(inet_checksum(nullptr, 0, 0x30), static_cast<uint16_t>(~0x30));
}

TEST(Checksum, PseudoHeaderV4MatchesExplicitBuffer) {
  const uint8_t src[] = {10, 0, 0, 1}, dst[] = {192, 168, 1, 200};
  Packet p;
  p.src = IpAddr::v4(src);
  p.dst = IpAddr::v4(dst);
  const uint8_t pseudo[] = {10, 0, 0, 1, 192, 168, 1, 200, 0, 17, 0x01, 0x2c};
  EXPECT_EQ(inet_checksum(nullptr, 0, pseudo_header_sum_v4(p, 17, 300)),
            inet_checksum(pseudo, sizeof pseudo));
}

TEST(Checksum, PseudoHeaderV6MatchesExplicitBuffer) {
  uint8_t src[16], dst[16];
  for (int i = 0; i < 16; ++i) {
    src[i] = static_cast<uint8_t>(0x20 + i * 7);
    dst[i] = static_cast<uint8_t>(0xfe - i * 3);
  }
  Packet p;
  p.src = IpAddr::v6(src);
  p.dst = IpAddr::v6(dst);
  std::vector<uint8_t> pseudo(src, src + 16);
  pseudo.insert(pseudo.end(), dst, dst + 16);
  const uint8_t tail[] = {0x00, 0x01, 0x00, 0x10, 0, 0, 0, 58};  // length 65552
  pseudo.insert(pseudo.end(), tail, tail + 8);
  EXPECT_EQ(inet_checksum(nullptr, 0, pseudo_header_sum_v6(p, 58, 65552)),
            inet_checksum(pseudo.data(), pseudo.size()));
}

}  // namespace
}  // namespace nsm4
