#include <gtest/gtest.h>

#include "decode/decoder.h"

namespace nsm4 {
namespace {

TEST(DecoderTable, RowsFollowLayerOrderAndHaveNames) {
  auto table = decoder_table();
  ASSERT_EQ(table.size(), static_cast<size_t>(Layer::kCount));
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(table[i].layer), i);
    EXPECT_FALSE(table[i].name.empty());
    EXPECT_NE(table[i].fn, nullptr);
  }
}

TEST(DecoderTable, KnownAndUnknownDatalinks) {
  EXPECT_EQ(layer_for_datalink(1), Layer::kEthernet);
  EXPECT_EQ(layer_for_datalink(0), Layer::kNull);
  EXPECT_EQ(layer_for_datalink(101), Layer::kRaw);
  EXPECT_EQ(layer_for_datalink(113), Layer::kSll);
  EXPECT_EQ(layer_for_datalink(276), Layer::kSll2);
  EXPECT_EQ(layer_for_datalink(228), Layer::kIpv4);
  EXPECT_EQ(layer_for_datalink(229), Layer::kIpv6);
  EXPECT_FALSE(layer_for_datalink(105).has_value());  // 802.11: not supported
}

TEST(DecoderTable, UnsupportedDatalinkMarksPacketInvalid) {
  DecodeContext ctx;
  uint8_t frame[20] = {};
  Packet p;
  p.data = frame;
  p.caplen = p.wirelen = sizeof frame;
  p.datalink = 105;
  decode_packet(ctx, p);
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(ctx.stats().invalid, 1u);
}

}  // namespace
}  // namespace nsm4
