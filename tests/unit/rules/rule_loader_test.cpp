#include "nsm4/rules/rule_loader.h"

#include <gtest/gtest.h>

namespace nsm4::rules {
namespace {

class RuleLoaderTest : public ::testing::Test {
 protected:
  RuleLoaderTest() {
    ctx_.vars = &vars_;
    ctx_.registry = registry_.get();
    ctx_.classifications = &classes_;
  }
  Variables vars_ = Variables::suricata_defaults();
  std::unique_ptr<KeywordRegistry> registry_ = make_default_registry();
  Classifications classes_ = Classifications::defaults();
  ParseContext ctx_;
};

TEST_F(RuleLoaderTest, CountsPerFileAndPerKeyword) {
  RuleLoader loader(ctx_);
  loader.load_text(
      "# header comment\n"
      "alert tcp any any -> any 22 (msg:\"ok\"; flow:to_server; sid:1;)\n"
      "#alert tcp any any -> any 23 (msg:\"off\"; sid:2;)\n"
      "alert http any any -> any any (msg:\"web\"; http.uri; content:\"/x\"; sid:3;)\n"
      "alert tcp any any -> any any (msg:\"legacy\"; content:\"/y\"; http_uri; sid:4;)\n"
      "alert tcp any any -> any any (msg:\"tag\"; tag:session,5,packets; sid:5;)\n"
      "alert tcp any any -> any any (msg:\"broken\"; content:\"|0|\"; sid:6;)\n"
      "alert tcp any any -> any any (msg:\"again\"; sid:1;)\n",
      "local.rules");
  const RuleSet& set = loader.rule_set();
  ASSERT_EQ(set.files.size(), 1u);
  const FileSummary& f = set.files[0];
  EXPECT_EQ(f.dialect, Dialect::kSuricata);
  EXPECT_EQ(f.loaded, 1u);
  EXPECT_EQ(f.skipped, 3u);
  EXPECT_EQ(f.skipped_app_layer, 2u);
  EXPECT_EQ(f.errors, 1u);
  EXPECT_EQ(f.disabled, 1u);
  EXPECT_EQ(f.duplicates, 1u);
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_EQ(set.rules[0].sid, 1u);
  EXPECT_EQ(set.rules[0].file, "local.rules");
  EXPECT_EQ(set.unsupported.at("protocol http").rules, 1u);
  EXPECT_EQ(set.unsupported.at("http.uri").rules, 1u);
  EXPECT_EQ(set.unsupported.at("http_uri").rules, 1u);
  EXPECT_EQ(set.unsupported.at("tag").support, Support::kUnknown);
  EXPECT_TRUE(set.has_errors());
  ASSERT_EQ(set.diagnostics.size(), 2u);
  EXPECT_EQ(set.diagnostics[0].format(),
            "local.rules:7:55: error: odd number of hex digits in |...| block (each byte needs "
            "two digits)");
  EXPECT_EQ(set.diagnostics[1].severity, Severity::kWarning);
  EXPECT_NE(set.diagnostics[1].message.find("duplicate sid 1 (gid 1), first loaded at "
                                            "local.rules:2"),
            std::string::npos);
}

TEST_F(RuleLoaderTest, Snort3FileIsDetectedOnce) {
  RuleLoader loader(ctx_);
  // The first rule alone looks like Suricata; the second marks the file as
  // Snort 3, so http_uri in the first is a sticky buffer (for "b").
  loader.load_text(
      "alert tcp any any -> any any (content:\"a\"; http_uri; content:\"b\"; sid:1;)\n"
      "alert tcp any any -> any any (content:\"c\",nocase; sid:2;)\n",
      "snort.rules");
  const RuleSet& set = loader.rule_set();
  EXPECT_EQ(set.files[0].dialect, Dialect::kSnort3);
  EXPECT_EQ(set.unsupported.at("http.uri").rules, 1u);
  EXPECT_EQ(set.files[0].loaded, 1u);
}

TEST_F(RuleLoaderTest, UnreadableFile) {
  RuleLoader loader(ctx_);
  loader.load_file("/nonexistent/x.rules");
  const RuleSet& set = loader.rule_set();
  ASSERT_EQ(set.files.size(), 1u);
  EXPECT_FALSE(set.files[0].readable);
  EXPECT_TRUE(set.has_errors());
  EXPECT_EQ(set.diagnostics[0].format().rfind("/nonexistent/x.rules: error: cannot open", 0), 0u);
}

TEST_F(RuleLoaderTest, VariablesFromTheCaller) {
  vars_.set_address("HOME_NET", "[2001:db8::/32]");
  RuleLoader loader(ctx_);
  loader.load_text("alert tcp $EXTERNAL_NET any -> $HOME_NET any (sid:1;)\n", "v.rules");
  const RuleSet& set = loader.rule_set();
  ASSERT_EQ(set.rules.size(), 1u);
  EXPECT_TRUE(set.rules[0].dst.set.contains("2001:db8::1"));
  EXPECT_TRUE(set.rules[0].src.set.contains("10.0.0.1"));
  EXPECT_FALSE(set.rules[0].src.set.contains("2001:db8::1"));
}

}  // namespace
}  // namespace nsm4::rules
