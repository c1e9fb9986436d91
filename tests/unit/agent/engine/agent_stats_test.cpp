#include "engine/agent_stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace nsm4 {
namespace {

TEST(AgentStats, HeartbeatCarriesAgentRulesAndForwarding) {
  AgentStats s;
  s.agent = {"0.1.0", "hq", "sensor-1"};
  s.rules = {"0123456789ab", 42, 3};
  forward::ForwardStats f;
  f.spool_batches = 2;
  f.spool_bytes = 1234;
  f.dropped_batches = 1;
  f.dropped_events = 2000;
  f.sent_batches = 10;
  f.sent_events = 19000;
  f.retries = 4;
  f.rejected_batches = 1;
  f.last_error = "HTTP 503";
  s.forward = f;
  std::string line;
  format_stats_event(line, s, Timestamp{1700000000, 0}, 60, /*live=*/true);
  ASSERT_EQ(line.back(), '\n');
  const auto j = nlohmann::json::parse(line);
  const auto& st = j["stats"];
  EXPECT_EQ(st["agent"]["version"], "0.1.0");
  EXPECT_EQ(st["agent"]["site"], "hq");
  EXPECT_EQ(st["agent"]["name"], "sensor-1");
  EXPECT_EQ(st["agent"]["rules"]["version"], "0123456789ab");
  EXPECT_EQ(st["agent"]["rules"]["loaded"], 42);
  EXPECT_EQ(st["agent"]["rules"]["failed"], 3);
  const auto& fw = st["forward"];
  EXPECT_EQ(fw["spool_batches"], 2);
  EXPECT_EQ(fw["spool_bytes"], 1234);
  EXPECT_EQ(fw["dropped_batches"], 1);
  EXPECT_EQ(fw["dropped_events"], 2000);
  EXPECT_EQ(fw["sent_batches"], 10);
  EXPECT_EQ(fw["sent_events"], 19000);
  EXPECT_EQ(fw["retries"], 4);
  EXPECT_EQ(fw["rejected_batches"], 1);
  EXPECT_EQ(fw["last_error"], "HTTP 503");
  EXPECT_TRUE(st["capture"].contains("kernel_drops"));
  EXPECT_EQ(st["uptime"], 60);
}

TEST(AgentStats, NoForwardObjectWhenNotForwarding) {
  AgentStats s;
  std::string line;
  format_stats_event(line, s, Timestamp{1700000000, 0}, 1, false);
  const auto j = nlohmann::json::parse(line);
  EXPECT_FALSE(j["stats"].contains("forward"));
  EXPECT_EQ(j["stats"]["agent"]["rules"]["loaded"], 0);
}

}  // namespace
}  // namespace nsm4
