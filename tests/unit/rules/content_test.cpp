#include "nsm4/rules/content.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

ContentValue content(std::string_view v) {
  ContentValue out;
  ParseError err;
  EXPECT_TRUE(parse_content(v, 0, out, err)) << v << ": " << err.message;
  return out;
}

ParseError content_error(std::string_view v, size_t base = 0) {
  ContentValue out;
  ParseError err;
  EXPECT_FALSE(parse_content(v, base, out, err)) << v;
  return err;
}

TEST(ContentTest, TextHexAndEscapes) {
  EXPECT_EQ(content("\"abc|0d 0a|def\"").bytes, std::string("abc\r\ndef"));
  EXPECT_EQ(content("\"|00 01 ff|\"").bytes, std::string("\x00\x01\xff", 3));
  EXPECT_EQ(content("\"|0D0a|\"").bytes, "\r\n");
  EXPECT_EQ(content("\"|0 d|\"").bytes, "\r");  // digits pair up across spaces
  EXPECT_EQ(content(R"("a\"b\\c\;d\:e")").bytes, R"(a"b\c;d:e)");
  EXPECT_EQ(content("\"||x\"").bytes, "x");
  EXPECT_EQ(content("unquoted").bytes, "unquoted");
}

TEST(ContentTest, Negation) {
  ContentValue v = content("!\"evil\"");
  EXPECT_TRUE(v.negated);
  EXPECT_EQ(v.bytes, "evil");
  EXPECT_TRUE(content(" ! \"x\"").negated);
  EXPECT_FALSE(content("\"!x\"").negated);
}

TEST(ContentTest, ErrorsPointAtTheCharacter) {
  // base 50: the value starts at offset 50 of the rule.
  ParseError e = content_error("\"ab|0d 0|\"", 50);
  EXPECT_EQ(e.offset, 57u);  // the lone '0'
  EXPECT_NE(e.message.find("odd number of hex digits"), std::string::npos);

  e = content_error("\"ab|0d 0a\"", 50);
  EXPECT_EQ(e.offset, 53u);  // the opening '|'
  EXPECT_NE(e.message.find("unterminated |...| hex block"), std::string::npos);

  e = content_error("\"|0g|\"", 0);
  EXPECT_EQ(e.offset, 3u);
  EXPECT_NE(e.message.find("'g' is not a hex digit"), std::string::npos);

  e = content_error(R"("a\nb")", 0);
  EXPECT_EQ(e.offset, 2u);
  EXPECT_NE(e.message.find("not a valid escape"), std::string::npos);

  e = content_error("\"abc", 10);
  EXPECT_EQ(e.offset, 10u);
  EXPECT_NE(e.message.find("missing closing"), std::string::npos);

  e = content_error("\"ab\"c\"", 0);
  EXPECT_EQ(e.offset, 3u);
  EXPECT_NE(e.message.find("unescaped '\"'"), std::string::npos);

  e = content_error("\"abc\" x", 0);
  EXPECT_EQ(e.offset, 5u);

  e = content_error("\"\"", 0);
  EXPECT_NE(e.message.find("empty content"), std::string::npos);
}

}  // namespace
}  // namespace nsm4::rules
