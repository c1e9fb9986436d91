#include "nsm4/rules/snort3.h"

#include <gtest/gtest.h>

#include "nsm4/rules/rule_parser.h"

namespace nsm4::rules {
namespace {

std::vector<RawOption> tokenize(std::string_view text) {
  std::vector<RawOption> out;
  ParseError err;
  EXPECT_TRUE(tokenize_options(text, 0, out, err)) << err.message;
  return out;
}

std::string names(const std::vector<RawOption>& opts) {
  std::string s;
  for (const RawOption& o : opts) {
    if (!s.empty()) s += ' ';
    s += o.name;
    if (o.has_value) s += "=" + o.value;
  }
  return s;
}

TEST(Snort3Test, Detection) {
  EXPECT_TRUE(looks_like_snort3(tokenize("content:\"x\",depth 4; sid:1;")));
  EXPECT_TRUE(looks_like_snort3(tokenize("content:!\"x\" , nocase; sid:1;")));
  EXPECT_TRUE(looks_like_snort3(tokenize("service:http; sid:1;")));
  EXPECT_TRUE(looks_like_snort3(tokenize("rem:\"note\"; sid:1;")));
  EXPECT_TRUE(looks_like_snort3(tokenize("http_uri; content:\"x\"; sid:1;")));
  EXPECT_FALSE(looks_like_snort3(tokenize("content:\"x\"; http_uri; sid:1;")));
  EXPECT_FALSE(looks_like_snort3(tokenize("file_data; content:\"x\"; sid:1;")));
  EXPECT_FALSE(looks_like_snort3(tokenize("content:\"a,b\"; depth:4; sid:1;")));
}

TEST(Snort3Test, CommaModifiersBecomeOptions) {
  auto o = tokenize("content:\"2|00|Drives\",depth 16,offset 2, nocase; sid:105;");
  ParseError err;
  ASSERT_TRUE(translate_snort3(o, err));
  EXPECT_EQ(names(o), "content=\"2|00|Drives\" depth=16 offset=2 nocase sid=105");
  EXPECT_EQ(o[1].name_offset, 22u);
  EXPECT_EQ(o[1].value_offset, 28u);
  EXPECT_EQ(o[3].name_offset, 41u);
}

TEST(Snort3Test, StickyBuffersAndRenames) {
  auto o = tokenize(
      "http_uri; content:\"/a\",fast_pattern_offset 1,fast_pattern_length 2; http_raw_header; "
      "content:\"b\"; rem:\"x\"; dce_opnum:15; raw_data; bufferlen:<10; sid:1;");
  ParseError err;
  ASSERT_TRUE(translate_snort3(o, err));
  EXPECT_EQ(names(o),
            "http.uri content=\"/a\" fast_pattern=1,2 http.header.raw content=\"b\" "
            "dcerpc.opnum=15 pkt_data bsize=<10 sid=1");
}

TEST(Snort3Test, EmptyModifierIsAnError) {
  auto o = tokenize("content:\"x\",,nocase; sid:1;");
  ParseError err;
  EXPECT_FALSE(translate_snort3(o, err));
  EXPECT_EQ(err.offset, 12u);
}

class Snort3RuleTest : public ::testing::Test {
 protected:
  Snort3RuleTest() {
    ctx_.vars = &vars_;
    ctx_.registry = registry_.get();
  }
  Variables vars_ = Variables::suricata_defaults();
  std::unique_ptr<KeywordRegistry> registry_ = make_default_registry();
  ParseContext ctx_;
};

TEST_F(Snort3RuleTest, SameAstAsTheSuricataSpelling) {
  ParseOutcome snort = parse_rule_text(
      "alert tcp $EXTERNAL_NET any -> $HOME_NET 21 ( msg:\"PROTOCOL-FTP ADMw0rm\"; "
      "flow:to_server,established; content:\"USER\",nocase; content:\"w0rm\",distance 1,nocase; "
      "pcre:\"/^USER\\s+w0rm/ims\"; metadata:ruleset community; service:ftp; "
      "classtype:suspicious-login; sid:144; rev:16; )",
      ctx_);
  ParseOutcome suricata = parse_rule_text(
      "alert tcp $EXTERNAL_NET any -> $HOME_NET 21 (msg:\"PROTOCOL-FTP ADMw0rm\"; "
      "flow:to_server,established; content:\"USER\"; nocase; content:\"w0rm\"; distance:1; "
      "nocase; pcre:\"/^USER\\s+w0rm/ims\"; metadata:ruleset community; "
      "classtype:suspicious-login; sid:144; rev:16;)",
      ctx_);
  ASSERT_EQ(snort.status, ParseStatus::kLoaded);
  ASSERT_EQ(suricata.status, ParseStatus::kLoaded);
  EXPECT_EQ(snort.rule.dialect, Dialect::kSnort3);
  EXPECT_EQ(suricata.rule.dialect, Dialect::kSuricata);
  std::vector<std::pair<std::string, std::string>> a, b;
  for (const RuleOption& o : snort.rule.options)
    if (o.name != "service") a.emplace_back(o.name, o.value);
  for (const RuleOption& o : suricata.rule.options) b.emplace_back(o.name, o.value);
  EXPECT_EQ(a, b);
  EXPECT_EQ(snort.rule.services, std::vector<std::string>{"ftp"});
  EXPECT_EQ(snort.rule.sid, 144u);
}

TEST_F(Snort3RuleTest, GidAndStickyBuffers) {
  ParseOutcome out = parse_rule_text(
      "alert tcp any any -> any $HTTP_PORTS (msg:\"x\"; http_uri; content:\"/cgi\",fast_pattern; "
      "gid:3; sid:50; rev:2;)",
      ctx_);
  EXPECT_EQ(out.rule.dialect, Dialect::kSnort3);
  EXPECT_EQ(out.rule.gid, 3u);
  EXPECT_EQ(out.status, ParseStatus::kSkipped);  // http.uri is an app-layer buffer
  EXPECT_EQ(out.unsupported, std::vector<std::string>{"http.uri"});
  EXPECT_EQ(out.rule.options[1].name, "http.uri");
  EXPECT_EQ(out.rule.options[2].content->bytes, "/cgi");
  EXPECT_EQ(out.rule.options[3].name, "fast_pattern");
}

TEST_F(Snort3RuleTest, ForcedDialect) {
  // In a Snort 3 file a rule with no mark of its own is still Snort 3.
  ctx_.dialect = Dialect::kSnort3;
  ParseOutcome out = parse_rule_text(
      "alert tcp any any -> any any (content:\"a\"; http_uri; content:\"b\"; "
      "sid:1;)",
      ctx_);
  EXPECT_EQ(out.rule.options[1].name, "http.uri");
  ctx_.dialect = Dialect::kSuricata;
  out = parse_rule_text(
      "alert tcp any any -> any any (content:\"a\"; http_uri; content:\"b\"; sid:1;)", ctx_);
  EXPECT_EQ(out.rule.options[1].name, "http_uri");
}

TEST_F(Snort3RuleTest, ServiceRuleWithoutAddresses) {
  ParseOutcome out = parse_rule_text("alert http (msg:\"x\"; service:http; sid:7;)", ctx_);
  EXPECT_TRUE(out.rule.src.set.is_any());
  EXPECT_TRUE(out.rule.dst_ports.set.is_any());
  EXPECT_EQ(out.rule.sid, 7u);
}

}  // namespace
}  // namespace nsm4::rules
