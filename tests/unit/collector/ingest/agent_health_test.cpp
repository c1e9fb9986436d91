#include "ingest/agent_health.h"

#include <gtest/gtest.h>

#include "collector/collector_test_env.h"
#include "ingest/ndjson_batch.h"

namespace nsm4::collector {
namespace {

using test::CollectorEnv;
using test::stats_line;

TEST(AgentHealth, ReadsAgentHeartbeatWithForwarder) {
  AgentHealth h;
  ASSERT_TRUE(read_heartbeat(stats_line("2026-01-02T03:04:05.000000+0000", 1000, 6), h));
  EXPECT_TRUE(h.has_heartbeat);
  EXPECT_EQ(h.heartbeat_ts_us, int64_t{1767323045} * 1'000'000);
  EXPECT_EQ(h.version, "0.5.0");
  EXPECT_EQ(h.uptime_sec, 42);
  EXPECT_EQ(h.packets, 1000u);
  EXPECT_EQ(h.kernel_packets, 1005u);
  EXPECT_EQ(h.bytes_ipv4, 700u);
  EXPECT_EQ(h.bytes_ipv6, 300u);
  EXPECT_EQ(h.kernel_drops, 4u);    // kernel_drops + kernel_ifdrops
  EXPECT_EQ(h.internal_drops, 9u);  // segment memcap + defrag memcap
  EXPECT_EQ(h.flows, 17u);
  EXPECT_EQ(h.ruleset_version, "et-2026-01-02");
  EXPECT_EQ(h.rules_loaded, 1200u);
  EXPECT_EQ(h.rules_failed, 3u);
  ASSERT_TRUE(h.has_forwarder);
  EXPECT_EQ(h.forward.spool_batches, 6u);
  EXPECT_EQ(h.forward.spool_bytes, 4096u);
  EXPECT_EQ(h.forward.dropped_batches, 1u);
  EXPECT_EQ(h.forward.dropped_events, 7u);
  EXPECT_EQ(h.forward.sent_batches, 99u);
  EXPECT_EQ(h.forward.retries, 2u);
}

TEST(AgentHealth, ReadsSuricataStats) {
  // Suricata's own stats event: no agent or forward objects.
  AgentHealth h;
  ASSERT_TRUE(read_heartbeat(
      R"({"timestamp":"2026-01-02T03:04:05.000000+0000","event_type":"stats","stats":{"uptime":8,)"
      R"("capture":{"kernel_packets":50,"kernel_drops":2},"decoder":{"pkts":48,"bytes":9000,)"
      R"("ipv4":40,"ipv6":8},"flow":{"total":5,"tcp":3},"tcp":{"ssn_memcap_drop":1}}})",
      h));
  EXPECT_EQ(h.packets, 48u);
  EXPECT_EQ(h.kernel_packets, 50u);
  EXPECT_EQ(h.kernel_drops, 2u);
  EXPECT_EQ(h.internal_drops, 1u);
  EXPECT_EQ(h.flows, 5u);
  EXPECT_EQ(h.version, "");
  EXPECT_FALSE(h.has_forwarder);
}

TEST(AgentHealth, RefusesOtherEvents) {
  AgentHealth h;
  EXPECT_FALSE(read_heartbeat(R"({"event_type":"flow","stats":{}})", h));
  EXPECT_FALSE(read_heartbeat(R"({"event_type":"stats","stats":7})", h));
  EXPECT_FALSE(read_heartbeat("not json", h));
  EXPECT_FALSE(h.has_heartbeat);
}

TEST(AgentHealth, BoardKeepsLastSeenAndLatestHeartbeat) {
  AgentHealthBoard board;
  board.seen("a1", 100);
  board.seen("a1", 50);  // an older time never moves it back
  EXPECT_EQ(board.get("a1")->last_seen_us, 100);
  EXPECT_FALSE(board.get("a1")->has_heartbeat);
  AgentHealth h;
  ASSERT_TRUE(read_heartbeat(stats_line("2026-01-02T03:04:05Z", 10, 0), h));
  board.heartbeat("a1", h, 200);
  EXPECT_EQ(board.get("a1")->last_seen_us, 200);
  EXPECT_EQ(board.get("a1")->packets, 10u);
  EXPECT_FALSE(board.get("nobody"));
  EXPECT_EQ(board.snapshot().size(), 1u);
}

TEST(AgentHealth, PrimedFromTheNewestStoredHeartbeat) {
  CollectorEnv env;
  env.registry().add("a1", "ward-1");
  env.registry().add("a2", "ward-1");
  const auto batch = parse_ndjson_batch(
      stats_line("2026-01-02T03:04:05Z", 10, 1) + "\n" + stats_line("2026-01-02T03:05:05Z", 20, 2),
      {});
  ASSERT_EQ(batch.events.size(), 2u);
  BatchKey key;
  key.agent = "a1";
  key.site = "ward-1";
  env.store().store_batch(key, batch.events);

  AgentHealthBoard board;
  const int64_t now = int64_t{1767323045 + 3600} * 1'000'000;
  EXPECT_EQ(board.prime(env.store(), env.registry().list(), now), 1u);
  const auto h = board.get("a1");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->packets, 20u);
  EXPECT_EQ(h->forward.spool_batches, 2u);
  EXPECT_EQ(h->last_seen_us, int64_t{1767323105} * 1'000'000);
  EXPECT_FALSE(board.get("a2"));
  // Priming again leaves agents with a heartbeat alone.
  EXPECT_EQ(board.prime(env.store(), env.registry().list(), now), 0u);
}

}  // namespace
}  // namespace nsm4::collector
