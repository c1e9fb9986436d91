#include "nsm4/rules/source_reader.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

TEST(SourceReaderTest, CommentsBlankLinesAndDisabledRules) {
  ReadResult r = RuleFileReader::read_text(
      "# a comment\n"
      "\n"
      "   \t\n"
      "alert tcp any any -> any any (sid:1;)\n"
      "#alert tcp any any -> any any (sid:2;)\n"
      "# alert udp any any -> any any (sid:3;)\n"
      "# alerting is fun (not a rule)\n"
      "  alert ip any any -> any any (sid:4;)");
  ASSERT_EQ(r.rules.size(), 2u);
  EXPECT_EQ(r.disabled, 2u);
  EXPECT_EQ(r.rules[0].text(), "alert tcp any any -> any any (sid:1;)");
  EXPECT_EQ(r.rules[0].first_line(), 4);
  EXPECT_EQ(r.rules[1].first_line(), 8);
  // Columns count from the start of the original line, indentation included.
  EXPECT_EQ(r.rules[1].pos_at(2).column, 3);
}

TEST(SourceReaderTest, ContinuationLinesMapBackToTheirLine) {
  ReadResult r = RuleFileReader::read_text(
      "alert tcp any any -> any any \\\r\n"
      "    (msg:\"x\"; \\\r\n"
      "  sid:5;)\r\n");
  ASSERT_EQ(r.rules.size(), 1u);
  const LogicalRule& l = r.rules[0];
  EXPECT_EQ(l.text(), "alert tcp any any -> any any     (msg:\"x\";   sid:5;)");
  size_t paren = l.text().find('(');
  EXPECT_EQ(l.pos_at(paren).line, 2);
  EXPECT_EQ(l.pos_at(paren).column, 5);
  size_t sid = l.text().find("sid");
  EXPECT_EQ(l.pos_at(sid).line, 3);
  EXPECT_EQ(l.pos_at(sid).column, 3);
  EXPECT_EQ(l.pos_at(0).line, 1);
  EXPECT_EQ(l.pos_at(0).column, 1);
}

TEST(SourceReaderTest, CommentedMultiLineRuleIsOneDisabledRule) {
  ReadResult r = RuleFileReader::read_text(
      "#alert tcp any any -> any any (msg:\"x\"; \\\n"
      "#  sid:1;)\n"
      "alert tcp any any -> any any (sid:2;)\n");
  EXPECT_EQ(r.disabled, 1u);
  ASSERT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.rules[0].first_line(), 3);
}

TEST(SourceReaderTest, UnfinishedContinuationAtEndOfFile) {
  ReadResult r = RuleFileReader::read_text("alert tcp any any -> any any (sid:1;) \\");
  ASSERT_EQ(r.rules.size(), 1u);
  EXPECT_EQ(r.rules[0].text(), "alert tcp any any -> any any (sid:1;) ");
}

TEST(SourceReaderTest, MissingFileIsReported) {
  std::string text, error;
  EXPECT_FALSE(RuleFileReader::read_file("/nonexistent/nsm4.rules", text, error));
  EXPECT_NE(error.find("cannot open"), std::string::npos);
}

TEST(SourceReaderTest, DisabledRuleDetection) {
  EXPECT_TRUE(looks_like_disabled_rule("alert tcp any any -> any any (sid:1;)"));
  EXPECT_TRUE(looks_like_disabled_rule(" drop http any any -> any any (sid:1;)"));
  EXPECT_FALSE(looks_like_disabled_rule("alert me when done (please)"));
  EXPECT_FALSE(looks_like_disabled_rule("alert tcp"));
  EXPECT_FALSE(looks_like_disabled_rule(""));
}

}  // namespace
}  // namespace nsm4::rules
