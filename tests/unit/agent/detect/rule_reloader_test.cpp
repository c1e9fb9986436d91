// Live reload: a changed file or a request publishes a new engine; a broken
// set is rejected and the running one stays.
#include "detect/rule_reloader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace nsm4::detect {
namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(RuleReloaderTest, ReloadsOnRequestAndRejectsBrokenSets) {
  std::string path = testing::TempDir() + "reload_test.rules";
  write(path, "alert tcp any any -> any any (content:\"a\"; sid:1;)\n");
  EngineSlot slot;
  std::atomic<bool> request{false};
  std::vector<std::string> log;
  RuleReloader r({path}, rules::Variables::suricata_defaults(), slot, request,
                 [&](const std::string& m) { log.push_back(m); });
  EXPECT_FALSE(r.poll());  // nothing changed, nothing asked
  EXPECT_EQ(slot.version(), 0u);

  request = true;
  EXPECT_TRUE(r.poll());
  ASSERT_NE(slot.get(), nullptr);
  EXPECT_EQ(slot.get()->rules()[0].sid, 1u);
  EXPECT_FALSE(request.load());

  write(path, "alert tcp any any -> any any (ttl:x; sid:2;)\n");
  request = true;
  EXPECT_FALSE(r.poll());
  EXPECT_EQ(r.rejected(), 1u);
  EXPECT_EQ(slot.get()->rules()[0].sid, 1u);  // the old set keeps running
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find("rejected"), std::string::npos);

  // A changed file is noticed without a request, once it holds still.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write(path, "alert tcp any any -> any any (content:\"b\"; sid:3;)\n# changed\n");
  EXPECT_FALSE(r.poll());
  EXPECT_TRUE(r.poll());
  EXPECT_EQ(slot.get()->rules()[0].sid, 3u);
  EXPECT_EQ(r.reloads(), 2u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace nsm4::detect
