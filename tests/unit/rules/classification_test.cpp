#include "nsm4/rules/classification.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

TEST(ClassificationTest, ShippedTableHasTheStandardClasstypes) {
  Classifications c = Classifications::defaults();
  EXPECT_GE(c.size(), 34u);
  ASSERT_NE(c.find("trojan-activity"), nullptr);
  EXPECT_EQ(c.find("trojan-activity")->priority, 1);
  EXPECT_EQ(c.find("trojan-activity")->description, "A Network Trojan was detected");
  EXPECT_EQ(c.find("tcp-connection")->priority, 4);
  EXPECT_EQ(c.find("misc-activity")->priority, 3);
  EXPECT_EQ(c.find("bad-unknown")->priority, 2);
  EXPECT_EQ(c.find("no-such-class"), nullptr);
}

TEST(ClassificationTest, ShippedFileIsValid) {
  Classifications c;
  std::vector<Diagnostic> diags;
  EXPECT_TRUE(c.parse(default_classification_text(), "classification.config", diags));
  EXPECT_TRUE(diags.empty());
}

TEST(ClassificationTest, ParsesAndReportsErrorsWithPositions) {
  Classifications c;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(
      c.parse("# comment\r\n"
              "config classification: a-b,Some thing, with comma,2\r\n"
              "config classification: bad,Description,high\n"
              "config classification:  nofields\n"
              "  classification: x,y,1\n"
              "config classification: ,x,1\n",
              "my.config", diags));
  ASSERT_EQ(diags.size(), 4u);
  EXPECT_EQ(diags[0].format(),
            "my.config:3:40: error: priority 'high' is not a number from 1 to 255");
  EXPECT_EQ(
      diags[1].format(),
      "my.config:4:23: error: expected three comma-separated fields: name,description,priority");
  EXPECT_EQ(diags[2].format(),
            "my.config:5:3: error: expected 'config classification: name,description,priority'");
  EXPECT_EQ(diags[3].pos.line, 6);
  ASSERT_NE(c.find("a-b"), nullptr);
  EXPECT_EQ(c.find("a-b")->description, "Some thing, with comma");
  EXPECT_EQ(c.find("a-b")->priority, 2);
}

}  // namespace
}  // namespace nsm4::rules
