#include "engine/agent_settings.h"

#include <gtest/gtest.h>

namespace nsm4 {
namespace {

TEST(AgentSettings, DefaultsForFilesAndOverrides) {
  Config cfg;
  cfg.set("workers", "4");
  cfg.set("flow.memcap", "400mb");
  cfg.set("defrag.policy", "linux");
  cfg.set("stream.midstream", "yes");
  auto s = settings_from_config(cfg, /*live=*/false);
  EXPECT_EQ(s.pipeline.workers, 4);
  EXPECT_EQ(s.pipeline.worker.flow.memcap, (400ull << 20) / 4);  // each worker its share
  EXPECT_EQ(s.pipeline.defrag.policy, DefragPolicy::kLinux);
  EXPECT_TRUE(s.pipeline.worker.flow.midstream);
  EXPECT_EQ(s.pipeline.decode.checksum, ChecksumMode::kOff);  // files: no validation by default
  EXPECT_TRUE(s.run_as_user.empty());                         // no privilege change for files
}

TEST(AgentSettings, BadValuesAreConfigErrors) {
  for (auto [key, value] : {std::pair{"defrag.policy", "weird"},
                            {"workers", "0"},
                            {"capture.checksum-validation", "sometimes"},
                            {"decoder.vxlan.port", "70000"}}) {
    Config cfg;
    cfg.set(key, value);
    EXPECT_THROW(settings_from_config(cfg, false), ConfigError) << key << "=" << value;
  }
}

}  // namespace
}  // namespace nsm4
