#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api_handlers.h"
#include "collector/collector_test_env.h"
#include "ingest/ingest_handler.h"

namespace nsm4::collector {
namespace {

using nlohmann::json;
using test::alert_line;
using test::CollectorEnv;
using test::get;
using test::post_events;
using test::stats_line;

const char* kTs = "2026-01-02T03:04:05.000000+0000";

class AgentsSitesApiTest : public ::testing::Test {
 protected:
  AgentsSitesApiTest()
      : ingest_(make_ingest_handler(env_.services())),
        agents_(make_agents_handler(env_.services())),
        sites_(make_sites_handler(env_.services())) {
    const std::string t1 = env_.registry().add("sensor-1", "ward-1");
    env_.registry().add("sensor-2", "ward-1");
    env_.registry().add("sensor-3", "ward-2");
    env_.registry().revoke("sensor-3");
    EXPECT_EQ(
        CollectorEnv::call(*ingest_, post_events(stats_line(kTs, 1000, 2) + "\n" +
                                                     alert_line(kTs, 1, 1, "10.0.0.1", "10.0.0.2"),
                                                 t1))
            .status,
        200);
  }

  json call(HttpHandler& h, const std::string& target, int expect_status = 200) {
    const HttpResponse r = CollectorEnv::call(h, get(target));
    EXPECT_EQ(r.status, expect_status) << r.body;
    return json::parse(r.body);
  }

  CollectorEnv env_;
  std::unique_ptr<HttpHandler> ingest_, agents_, sites_;
};

TEST_F(AgentsSitesApiTest, AgentsWithHealth) {
  const json r = call(*agents_, "/api/v1/agents");
  ASSERT_EQ(r["agents"].size(), 3u);
  const json& a1 = r["agents"][0];
  EXPECT_EQ(a1["name"], "sensor-1");
  EXPECT_EQ(a1["site"], "ward-1");
  EXPECT_EQ(a1["up"], true);
  EXPECT_TRUE(a1["last_seen"].is_string());
  EXPECT_EQ(a1["version"], "0.5.0");
  EXPECT_EQ(a1["revoked"], false);
  const json& h = a1["health"];
  EXPECT_EQ(h["heartbeat_time"], kTs);
  EXPECT_EQ(h["uptime_sec"], 42);
  EXPECT_EQ(h["packets"], 1000);
  EXPECT_EQ(h["bytes"]["ipv6"], 300);
  EXPECT_EQ(h["drops"]["kernel"], 4);
  EXPECT_EQ(h["drops"]["internal"], 9);
  EXPECT_EQ(h["flows"], 17);
  EXPECT_EQ(h["rules"]["version"], "et-2026-01-02");
  EXPECT_EQ(h["rules"]["loaded"], 1200);
  EXPECT_EQ(h["spool"]["batches"], 2);
  EXPECT_EQ(h["spool"]["dropped_events"], 7);

  const json& a2 = r["agents"][1];
  EXPECT_EQ(a2["name"], "sensor-2");
  EXPECT_EQ(a2["up"], false);
  EXPECT_TRUE(a2["last_seen"].is_null());
  EXPECT_TRUE(a2["version"].is_null());
  EXPECT_TRUE(a2["health"].is_null());
  EXPECT_EQ(r["agents"][2]["revoked"], true);

  EXPECT_EQ(call(*agents_, "/api/v1/agents?site=ward-2")["agents"].size(), 1u);
  EXPECT_EQ(call(*agents_, "/api/v1/agents?x=1", 400)["error"], "unknown parameter \"x\" (site)");
}

TEST_F(AgentsSitesApiTest, Sites) {
  const json r = call(*sites_, "/api/v1/sites");
  ASSERT_EQ(r["sites"].size(), 2u);
  const json& w1 = r["sites"][0];
  EXPECT_EQ(w1["site"], "ward-1");
  EXPECT_EQ(w1["agents"], 2);
  EXPECT_EQ(w1["agents_up"], 1);
  EXPECT_EQ(w1["alerts_since_start"], 1);
  EXPECT_EQ(w1["packets"], 1000);
  EXPECT_TRUE(w1["last_seen"].is_string());
  const json& w2 = r["sites"][1];
  EXPECT_EQ(w2["site"], "ward-2");
  EXPECT_EQ(w2["agents_up"], 0);
  EXPECT_EQ(w2["agents_revoked"], 1);
  EXPECT_TRUE(w2["last_seen"].is_null());
  EXPECT_EQ(call(*sites_, "/api/v1/sites?site=x", 400)["error"],
            "unknown parameter \"site\" (/api/v1/sites takes none)");
}

TEST_F(AgentsSitesApiTest, HealthBoardSurvivesARestart) {
  // A new collector on the same store: the board is primed by make_router.
  CollectorMetrics fresh_metrics(env_.counters());
  CollectorServices fresh{
      env_.store(), env_.registry(), env_.writer(), env_.counters(), fresh_metrics, {}, "", 120};
  auto router = make_router(fresh);
  const json r = call(*router, "/api/v1/agents");
  const json& a1 = r["agents"][0];
  EXPECT_EQ(a1["version"], "0.5.0");
  EXPECT_EQ(a1["health"]["packets"], 1000);
  EXPECT_EQ(a1["last_seen"], kTs);  // the heartbeat's own time
}

}  // namespace
}  // namespace nsm4::collector
