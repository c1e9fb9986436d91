#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "collector/collector_test_env.h"
#include "metrics/metrics_handler.h"

namespace nsm4::collector {
namespace {

using nlohmann::json;
using test::alert_line;
using test::CollectorEnv;
using test::get;
using test::post_events;

const std::string* find_header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() : router_(make_router(env_.services())) {}
  HttpResponse call(HttpRequest req) { return CollectorEnv::call(*router_, std::move(req)); }
  CollectorEnv env_;
  std::unique_ptr<HttpHandler> router_;
};

TEST_F(RouterTest, RoutesEveryEndpoint) {
  const std::string token = env_.registry().add("sensor-1", "ward-1");
  const HttpResponse posted = call(post_events(
      alert_line("2026-01-02T03:04:05.000000+0000", 1, 9, "10.0.0.1", "10.0.0.2"), token, "s/1"));
  EXPECT_EQ(posted.status, 200);
  EXPECT_EQ(json::parse(posted.body)["stored"], 1);

  const json alerts = json::parse(call(get("/api/v1/alerts?sid=9")).body);
  ASSERT_EQ(alerts["alerts"].size(), 1u);
  const int64_t id = alerts["alerts"][0]["id"];
  EXPECT_EQ(call(get("/api/v1/alerts/" + std::to_string(id))).status, 200);
  EXPECT_EQ(json::parse(call(get("/api/v1/agents")).body)["agents"].size(), 1u);
  EXPECT_EQ(json::parse(call(get("/api/v1/sites")).body)["sites"].size(), 1u);
  const json health = json::parse(call(get("/healthz")).body);
  EXPECT_EQ(health["status"], "ok");

  const HttpResponse metrics = call(get("/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, kPrometheusContentType);
  EXPECT_NE(metrics.body.find("nsm4_collector_batches_total{result=\"stored\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("nsm4_agent_up{site=\"ward-1\",agent=\"sensor-1\"} 1"),
            std::string::npos);
}

TEST_F(RouterTest, UnknownPathIs404) {
  for (const char* path : {"/", "/api/v1", "/api/v1/alertsx", "/metrics/x", "/api/v1/events/1"}) {
    const HttpResponse r = call(get(path));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(json::parse(r.body)["error"], "no such path");
  }
  EXPECT_EQ(env_.rejected(RejectReason::kNotFound), 5u);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  HttpResponse r = call(get("/api/v1/events"));
  EXPECT_EQ(r.status, 405);
  ASSERT_TRUE(find_header(r, "Allow"));
  EXPECT_EQ(*find_header(r, "Allow"), "POST");
  HttpRequest del = get("/api/v1/alerts/4");
  del.method = "DELETE";
  r = call(del);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*find_header(r, "Allow"), "GET");
  HttpRequest post = get("/metrics?x=1");
  post.method = "POST";
  EXPECT_EQ(call(post).status, 405);
  EXPECT_EQ(env_.rejected(RejectReason::kMethodNotAllowed), 3u);
}

TEST_F(RouterTest, QueryStringsDoNotChangeTheRoute) {
  EXPECT_EQ(call(get("/healthz?probe=1")).status, 200);
  EXPECT_EQ(call(get("/metrics?")).status, 200);
}

}  // namespace
}  // namespace nsm4::collector
