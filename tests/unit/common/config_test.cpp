#include "nsm4/common/config.h"

#include <gtest/gtest.h>

namespace nsm4 {
namespace {

TEST(Config, FlattensNestedYamlAndOverridesWin) {
  Config c;
  c.load_yaml_text("flow:\n  timeouts:\n    tcp: {new: 10, established: 20}\nsite: ward-7\n");
  c.set_override("flow.timeouts.tcp.new=15");
  EXPECT_EQ(c.get_int("flow.timeouts.tcp.new", 0), 15);
  EXPECT_EQ(c.get_int("flow.timeouts.tcp.established", 0), 20);
  EXPECT_EQ(c.get_string("site", ""), "ward-7");
  EXPECT_EQ(c.get_int("missing", 42), 42);
}

TEST(Config, SizesAndBooleans) {
  Config c;
  c.set("a", "64mb");
  c.set("b", "1GB");
  c.set("c", "4096");
  c.set("d", "yes");
  c.set("e", "off");
  EXPECT_EQ(c.get_size("a", 0), 64ull << 20);
  EXPECT_EQ(c.get_size("b", 0), 1ull << 30);
  EXPECT_EQ(c.get_size("c", 0), 4096u);
  EXPECT_TRUE(c.get_bool("d", false));
  EXPECT_FALSE(c.get_bool("e", true));
}

TEST(Config, BadValuesNameTheKey) {
  Config c;
  c.set("workers", "two");
  c.set("memcap", "12parsecs");
  c.set("flag", "maybe");
  try {
    c.get_int("workers", 1);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("workers"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("two"), std::string::npos);
  }
  EXPECT_THROW(c.get_size("memcap", 0), ConfigError);
  EXPECT_THROW(c.get_bool("flag", false), ConfigError);
}

TEST(Config, YamlSyntaxErrorHasLineAndColumn) {
  Config c;
  try {
    c.load_yaml_text("a: 1\nb: [1, 2\n", "agent.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("agent.yaml:", 0), 0u) << e.what();
  }
}

TEST(Config, SetWithoutEqualsIsRejected) {
  Config c;
  EXPECT_THROW(c.set_override("flow.memcap"), ConfigError);
}

TEST(Config, UnusedKeysAreReported) {
  Config c;
  c.set("flow.memcap", "1mb");
  c.set("flow.memcpa", "1mb");
  c.get_size("flow.memcap", 0);
  auto unused = c.unused_keys();
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0], "flow.memcpa");
}

TEST(Config, Durations) {
  using std::chrono::milliseconds;
  EXPECT_EQ(parse_duration("k", "500ms"), milliseconds(500));
  EXPECT_EQ(parse_duration("k", "30"), milliseconds(30000));
  EXPECT_EQ(parse_duration("k", "2m"), milliseconds(120'000));
  EXPECT_EQ(parse_duration("k", "2h"), milliseconds(7200000));
  EXPECT_EQ(parse_duration("k", "90d"), milliseconds(90LL * 86'400'000));
  for (const char* bad : {"", "s", "-1s", "10x", "99999999999999s", "99999999999999999999d"})
    EXPECT_THROW(parse_duration("k", bad), ConfigError) << bad;
  Config c;
  c.set("limits.header-timeout", "10x");
  try {
    c.get_duration("limits.header-timeout", milliseconds(1));
    FAIL() << "no error for 10x";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("limits.header-timeout"), std::string::npos);
  }
  EXPECT_EQ(c.get_duration("missing", milliseconds(7)), milliseconds(7));
}

}  // namespace
}  // namespace nsm4
