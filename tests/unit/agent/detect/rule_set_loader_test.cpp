// The rule set's label for the heartbeat: a digest of the files' contents and
// the counts of rules loaded and left out.
#include "detect/rule_set_loader.h"

#include <gtest/gtest.h>

#include <fstream>

namespace nsm4::detect {
namespace {

std::string write(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::trunc) << text;
  return path;
}

TEST(RuleSetLoader, DigestFollowsTheContents) {
  const auto a = write("digest_a.rules", "alert tcp any any -> any any (content:\"a\"; sid:1;)\n");
  const auto b = write("digest_b.rules", "alert tcp any any -> any any (content:\"b\"; sid:2;)\n");
  const std::string d1 = rule_files_digest({a, b});
  EXPECT_EQ(d1.size(), 12u);
  EXPECT_EQ(d1.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(rule_files_digest({a, b}), d1);
  EXPECT_NE(rule_files_digest({a}), d1);
  write("digest_b.rules", "alert tcp any any -> any any (content:\"c\"; sid:2;)\n");
  EXPECT_NE(rule_files_digest({a, b}), d1);
  // SHA-256("") starts e3b0c44298fc.
  EXPECT_EQ(rule_files_digest({}), "e3b0c44298fc");
}

TEST(RuleSetLoader, LabelCountsLoadedAndFailedRules) {
  const auto f = write("label.rules",
                       "alert tcp any any -> any any (content:\"a\"; sid:1;)\n"
                       "alert tcp any any -> any any (content:\"b\"; sid:2;)\n"
                       "alert tcp any any -> any any (ttl:x; sid:3;)\n");
  const LoadResult r = load_rule_files({f}, rules::Variables::suricata_defaults(), false);
  ASSERT_TRUE(r.engine);
  const RuleSetLabel l = r.label();
  EXPECT_EQ(l.loaded, 2u);
  EXPECT_EQ(l.failed, 1u);
  EXPECT_EQ(l.version, rule_files_digest({f}));

  EngineSlot slot;
  EXPECT_EQ(slot.label().version, "");
  slot.publish(r.engine, l);
  EXPECT_EQ(slot.label().loaded, 2u);
  EXPECT_EQ(slot.label().version, l.version);
}

}  // namespace
}  // namespace nsm4::detect
