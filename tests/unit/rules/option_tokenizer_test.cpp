#include "nsm4/rules/option_tokenizer.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

std::vector<RawOption> tokenize(std::string_view text) {
  std::vector<RawOption> out;
  ParseError err;
  EXPECT_TRUE(tokenize_options(text, 0, out, err)) << err.message << " at " << err.offset;
  return out;
}

ParseError tokenize_error(std::string_view text, size_t base = 0) {
  std::vector<RawOption> out;
  ParseError err;
  EXPECT_FALSE(tokenize_options(text, base, out, err)) << text;
  return err;
}

TEST(OptionTokenizerTest, FlagsAndValuesWithOffsets) {
  auto o = tokenize(" msg:\"hi there\"; nocase; sid : 10 ;");
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].name, "msg");
  EXPECT_EQ(o[0].value, "\"hi there\"");
  EXPECT_TRUE(o[0].has_value);
  EXPECT_EQ(o[0].name_offset, 1u);
  EXPECT_EQ(o[0].value_offset, 5u);
  EXPECT_EQ(o[1].name, "nocase");
  EXPECT_FALSE(o[1].has_value);
  EXPECT_EQ(o[2].name, "sid");
  EXPECT_EQ(o[2].value, "10");
  EXPECT_EQ(o[2].value_offset, 31u);
}

TEST(OptionTokenizerTest, EscapesAndSemicolonsInQuotes) {
  auto o = tokenize(R"(msg:"a\;b \"q\" c\\"; content:"x;y"; pcre:"/a"b\x3b/i"; sid:1;)");
  ASSERT_EQ(o.size(), 4u);
  EXPECT_EQ(o[0].value, R"("a\;b \"q\" c\\")");
  EXPECT_EQ(unquote(o[0].value), R"(a;b "q" c\)");
  EXPECT_EQ(o[1].value, "\"x;y\"");
  // A stray quote inside a pcre, as Suricata accepts it (ET Open has such rules).
  EXPECT_EQ(o[2].value, R"("/a"b\x3b/i")");
  EXPECT_EQ(o[3].value, "1");
}

TEST(OptionTokenizerTest, UnquotedValueWithEscapedSemicolon) {
  auto o = tokenize(R"(metadata:a b\; c; sid:2;)");
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].value, R"(a b\; c)");
}

TEST(OptionTokenizerTest, Snort3CommaModifiersStayInTheValue) {
  auto o = tokenize(R"(content:"a;b",depth 4,nocase; sid:3;)");
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].value, R"("a;b",depth 4,nocase)");
}

TEST(OptionTokenizerTest, Errors) {
  ParseError e = tokenize_error(R"(msg:"unterminated; sid:1;)", 100);
  EXPECT_EQ(e.offset, 104u);
  EXPECT_NE(e.message.find("unterminated quoted string"), std::string::npos);

  e = tokenize_error("msg:\"x\"; sid:1");
  EXPECT_EQ(e.offset, 9u);
  EXPECT_NE(e.message.find("'sid' is not terminated by ';'"), std::string::npos);

  e = tokenize_error("sid:1; nocase");
  EXPECT_EQ(e.offset, 7u);

  e = tokenize_error("sid:1; ;");
  EXPECT_EQ(e.offset, 7u);
  EXPECT_NE(e.message.find("expected an option name"), std::string::npos);

  e = tokenize_error("content \"x\";");
  EXPECT_EQ(e.offset, 8u);
  EXPECT_NE(e.message.find("expected ':' or ';'"), std::string::npos);
}

TEST(OptionTokenizerTest, Unquote) {
  EXPECT_EQ(unquote(" \"abc\" "), "abc");
  EXPECT_EQ(unquote("abc"), "abc");
  EXPECT_EQ(unquote(R"("a\:b")"), "a:b");
  EXPECT_EQ(unquote(R"("a\xb")"), R"(a\xb)");  // unknown escapes stay as written
}

}  // namespace
}  // namespace nsm4::rules
