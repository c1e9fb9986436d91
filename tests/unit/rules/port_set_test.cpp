#include "nsm4/rules/port_set.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

TEST(PortSetTest, RangeAndComplement) {
  PortSet p = PortSet::range(1024, 2048);
  EXPECT_FALSE(p.contains(1023));
  EXPECT_TRUE(p.contains(1024));
  EXPECT_TRUE(p.contains(2048));
  EXPECT_FALSE(p.contains(2049));
  PortSet c = p.complement();
  EXPECT_TRUE(c.contains(0));
  EXPECT_TRUE(c.contains(65535));
  EXPECT_FALSE(c.contains(1500));
  EXPECT_EQ(c.to_string(), "0:1023,2049:65535");
}

TEST(PortSetTest, AnyAndExtremes) {
  EXPECT_TRUE(PortSet::any().is_any());
  EXPECT_EQ(PortSet::any().to_string(), "any");
  EXPECT_TRUE(PortSet::range(65535, 65535).complement() == PortSet::range(0, 65534));
  EXPECT_TRUE(PortSet::range(0, 0).complement() == PortSet::range(1, 65535));
  EXPECT_TRUE(PortSet::any().complement().empty());
}

TEST(PortSetTest, UniteAndSubtract) {
  PortSet p = PortSet::range(80, 80).unite(PortSet::range(81, 90)).unite(PortSet::range(443, 443));
  EXPECT_EQ(p.to_string(), "80:90,443");
  EXPECT_EQ(p.subtract(PortSet::range(85, 85)).to_string(), "80:84,86:90,443");
}

}  // namespace
}  // namespace nsm4::rules
