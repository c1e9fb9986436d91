#include <gtest/gtest.h>

#include "agent/decode/ipv6_test_packets.h"
#include "decode/decoders.h"

namespace nsm4 {
namespace {

using test::Bytes;

constexpr uint8_t kSctp = 132;

// Common header (ports 2905 -> 2944, verification tag, CRC32c) and an INIT chunk header.
const Bytes kSctpInit = {0x0b, 0x59, 0x0b, 0x80, 0,    0,    0,    0,
                         0x12, 0x34, 0x56, 0x78, 0x01, 0x00, 0x00, 0x04};

TEST(SctpDecoder, CommonHeaderPortsForFlows) {
  DecodeContext ctx;
  const Bytes frame = test::ipv6(kSctp, kSctpInit);
  Packet p = test::decode_raw_ipv6(ctx, frame);
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kSctp);
  EXPECT_TRUE(p.has_ports());
  EXPECT_EQ(p.ip_proto, kSctp);
  EXPECT_EQ(p.sport, 2905);
  EXPECT_EQ(p.dport, 2944);
  EXPECT_EQ(p.l4_hdr_len, 12);
  EXPECT_EQ(p.payload_len, 4u);
  EXPECT_EQ(p.payload[0], 0x01);  // chunk type INIT
}

TEST(SctpDecoder, ShorterThanCommonHeader) {
  for (size_t n = 0; n < 12; ++n) {
    DecodeContext ctx;
    Packet p = test::decode_raw_ipv6(
        ctx, test::ipv6(kSctp, Bytes(kSctpInit.begin(), kSctpInit.begin() + n)));
    EXPECT_TRUE(p.invalid) << n;
    EXPECT_TRUE(p.has_event(DecodeEvent::SCTP_PKT_TOO_SMALL)) << n;
    EXPECT_EQ(p.l4, Layer::kCount);
  }
}

}  // namespace
}  // namespace nsm4
