// The keyword table and its registry: complete, self-describing, and parse
// errors reported at the option's position.
#include "detect/keyword.h"

#include <gtest/gtest.h>

#include <set>

#include "detect/registry.h"
#include "nsm4/rules/rule_parser.h"

namespace nsm4::detect {
namespace {

TEST(KeywordTableTest, EveryRowIsNamedDescribedAndUnique) {
  std::set<std::string_view> names;
  for (const KeywordDef& k : keyword_table()) {
    EXPECT_FALSE(k.name.empty());
    EXPECT_FALSE(k.help.empty()) << k.name;
    EXPECT_NE(k.parse, nullptr) << k.name;
    EXPECT_TRUE(names.insert(k.name).second) << "duplicate " << k.name;
  }
  EXPECT_TRUE(names.count("content") && names.count("tcp.flags") && names.count("ipv6.hdr"));
  EXPECT_TRUE(find_keyword("content")->flags & kKwPrefilter);
  EXPECT_TRUE(find_keyword("nocase")->flags & kKwModifier);
  EXPECT_TRUE(find_keyword("tcp.hdr")->flags & kKwSticky);
}

TEST(KeywordTableTest, RegistrySupportIsTheTable) {
  auto reg = make_registry();
  for (const KeywordDef& k : keyword_table())
    EXPECT_EQ(reg->keyword_support(k.name), rules::Support::kSupported) << k.name;
  EXPECT_EQ(reg->keyword_support("http.uri"), rules::Support::kSupported);
  EXPECT_EQ(reg->keyword_support("http_uri"), rules::Support::kSupported);
  EXPECT_EQ(reg->keyword_support("smb.share"), rules::Support::kAppLayerPending);
  EXPECT_EQ(reg->keyword_support("stream_size"), rules::Support::kUnknown);
}

// Parses one rule with the detection registry; the error text or "".
std::string error_of(const std::string& rule, int* column = nullptr) {
  auto reg = make_registry();
  rules::Variables vars = rules::Variables::suricata_defaults();
  rules::ParseContext ctx;
  ctx.vars = &vars;
  ctx.registry = reg.get();
  rules::ParseOutcome out = rules::parse_rule_text(rule, ctx);
  for (const auto& d : out.diagnostics) {
    if (d.severity != rules::Severity::kError) continue;
    if (column) *column = d.pos.column;
    return d.message;
  }
  return "";
}

TEST(KeywordTableTest, BadOptionsAreErrorsAtTheirValue) {
  int col = 0;
  const std::string rule = "alert tcp any any -> any any (ttl:abc; sid:1;)";
  EXPECT_NE(error_of(rule, &col).find("expected a number"), std::string::npos);
  EXPECT_EQ(col, static_cast<int>(rule.find("abc")) + 1);
  EXPECT_NE(error_of("alert tcp any any -> any any (flags:SX; sid:1;)").find("unknown flag 'X'"),
            std::string::npos);
  EXPECT_NE(error_of("alert tcp any any -> any any (pcre:\"/a(/\"; sid:1;)").find("regex error"),
            std::string::npos);
  EXPECT_NE(
      error_of("alert tcp any any -> any any (flow:sideways; sid:1;)").find("unknown flow option"),
      std::string::npos);
  EXPECT_NE(error_of("alert tcp any any -> any any (threshold:type limit; sid:1;)").find("needs"),
            std::string::npos);
  EXPECT_NE(
      error_of("alert tcp any any -> any any (byte_test:1,~,1,0; sid:1;)").find("unknown operator"),
      std::string::npos);
  EXPECT_EQ(error_of("alert tcp any any -> any any (content:\"a\"; depth:4; ttl:<5; flags:S+,12; "
                     "byte_jump:2,0,relative,align; sid:1;)"),
            "");
}

}  // namespace
}  // namespace nsm4::detect
