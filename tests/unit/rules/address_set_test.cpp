#include "nsm4/rules/address_set.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

TEST(AddressSetTest, AnyContainsBothFamilies) {
  AddressSet a = AddressSet::any();
  EXPECT_TRUE(a.is_any());
  EXPECT_TRUE(a.contains("0.0.0.0"));
  EXPECT_TRUE(a.contains("255.255.255.255"));
  EXPECT_TRUE(a.contains("::"));
  EXPECT_TRUE(a.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(a.to_string(), "any");
}

TEST(AddressSetTest, V4CidrMasksHostBits) {
  AddressSet a = AddressSet::v4_cidr(*parse_ipv4("192.168.1.77"), 24);
  EXPECT_TRUE(a.contains("192.168.1.0"));
  EXPECT_TRUE(a.contains("192.168.1.255"));
  EXPECT_FALSE(a.contains("192.168.2.0"));
  EXPECT_FALSE(a.contains("192.168.0.255"));
  EXPECT_FALSE(a.contains("::1"));
  EXPECT_EQ(a.to_string(), "192.168.1.0/24");
}

TEST(AddressSetTest, V6Cidr) {
  AddressSet a = AddressSet::v6_cidr(*parse_ipv6("2001:db8::"), 32);
  EXPECT_TRUE(a.contains("2001:db8::1"));
  EXPECT_TRUE(a.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(a.contains("2001:db9::"));
  EXPECT_FALSE(a.contains("10.0.0.1"));
  EXPECT_EQ(a.to_string(), "2001:db8::/32");
}

TEST(AddressSetTest, ComplementKeepsTheOtherFamily) {
  AddressSet a = AddressSet::v4_cidr(*parse_ipv4("10.0.0.0"), 8).complement();
  EXPECT_FALSE(a.contains("10.1.2.3"));
  EXPECT_TRUE(a.contains("11.0.0.0"));
  EXPECT_TRUE(a.contains("9.255.255.255"));
  EXPECT_TRUE(a.contains("2001:db8::1"));
  EXPECT_EQ(a.to_string(),
            "0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,"
            "64.0.0.0/2,128.0.0.0/1,::/0");
}

TEST(AddressSetTest, UniteMergesAdjacentBlocks) {
  AddressSet a = AddressSet::v4_cidr(*parse_ipv4("10.0.0.0"), 25)
                     .unite(AddressSet::v4_cidr(*parse_ipv4("10.0.0.128"), 25));
  ASSERT_EQ(a.v4().ranges().size(), 1u);
  EXPECT_EQ(a.to_string(), "10.0.0.0/24");
}

TEST(AddressSetTest, SubtractSplitsARange) {
  AddressSet a = AddressSet::v4_cidr(*parse_ipv4("10.0.0.0"), 24)
                     .subtract(AddressSet::v4_cidr(*parse_ipv4("10.0.0.5"), 32));
  EXPECT_TRUE(a.contains("10.0.0.4"));
  EXPECT_FALSE(a.contains("10.0.0.5"));
  EXPECT_TRUE(a.contains("10.0.0.6"));
  EXPECT_EQ(a.v4().ranges().size(), 2u);
}

TEST(AddressSetTest, ExtremesOfTheV6Space) {
  AddressSet top = AddressSet::v6_cidr(*parse_ipv6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 128);
  EXPECT_TRUE(top.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  AddressSet rest = top.complement();
  EXPECT_FALSE(rest.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_TRUE(rest.contains("::"));
  EXPECT_TRUE(rest.complement() == top);
}

TEST(AddressSetTest, ParsesOnlyValidAddresses) {
  EXPECT_FALSE(parse_ipv4("1.2.3"));
  EXPECT_FALSE(parse_ipv4("256.1.1.1"));
  EXPECT_FALSE(parse_ipv4(""));
  EXPECT_FALSE(parse_ipv6("2001:db8:::1"));
  EXPECT_EQ(*parse_ipv4("1.2.3.4"), 0x01020304u);
  AddressSet a = AddressSet::any();
  EXPECT_FALSE(a.contains("not-an-ip"));
}

}  // namespace
}  // namespace nsm4::rules
