#include <gtest/gtest.h>

#include "decode/decoder.h"

namespace nsm4 {

std::optional<Layer> layer_for_ethertype(uint16_t type);  // decoder_table.cpp
std::optional<Layer> layer_for_ip_proto(uint8_t proto);

namespace {

// What the lookups must return: the first row, in table order, listing the value.
template <class T, class Member>
std::optional<Layer> first_row_with(T value, Member member) {
  for (const auto& d : decoder_table())
    for (auto v : d.*member)
      if (v == value) return d.layer;
  return std::nullopt;
}

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

TEST(DecoderTable, LookupsAgreeWithTheTableForEveryValue) {
  for (uint32_t t = 0; t <= 0xffff; ++t) {
    auto type = static_cast<uint16_t>(t);
    ASSERT_EQ(layer_for_ethertype(type), first_row_with(type, &DecoderInfo::ethertypes)) << t;
  }
  for (uint32_t proto = 0; proto <= 0xff; ++proto) {
    auto v = static_cast<uint8_t>(proto);
    ASSERT_EQ(layer_for_ip_proto(v), first_row_with(v, &DecoderInfo::ip_protos)) << proto;
  }
  for (int dlt = -2; dlt < 70000; ++dlt)
    ASSERT_EQ(layer_for_datalink(dlt), first_row_with(dlt, &DecoderInfo::datalinks)) << dlt;
  EXPECT_EQ(layer_for_ethertype(0x0800), Layer::kIpv4);
  EXPECT_EQ(layer_for_ethertype(0x86dd), Layer::kIpv6);
  EXPECT_EQ(layer_for_ethertype(0x88a8), Layer::kVlan);
  EXPECT_FALSE(layer_for_ethertype(0x0806).has_value());  // ARP: not decoded
  EXPECT_EQ(layer_for_ip_proto(6), Layer::kTcp);
  EXPECT_FALSE(layer_for_ip_proto(50).has_value());  // ESP ends decoding
}

}  // namespace
}  // namespace nsm4
