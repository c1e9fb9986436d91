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

class AlertsApiTest : public ::testing::Test {
 protected:
  AlertsApiTest()
      : ingest_(make_ingest_handler(env_.services())),
        alerts_(make_alerts_handler(env_.services())) {
    const std::string t1 = env_.registry().add("sensor-1", "ward-1");
    const std::string t2 = env_.registry().add("sensor-2", "ward-2");
    // 2026-01-02T03:00:00Z + n minutes
    std::string b1, b2;
    b1 += alert_line("2026-01-02T03:00:00.000000+0000", 1, 100, "10.0.0.1", "10.0.0.2",
                     "Attempted Admin") +
          "\n";
    b1 += alert_line("2026-01-02T03:01:00.000000+0000", 2, 200, "10.0.0.3", "2001:db8::1",
                     "Web attack") +
          "\n";
    b1 += alert_line("2026-01-02T03:02:00.000000+0000", 3, 300, "10.0.0.1", "10.0.0.9",
                     "Misc activity") +
          "\n";
    b1 += R"({"timestamp":"2026-01-02T03:02:30Z","event_type":"flow","src_ip":"10.0.0.1"})"
          "\n";
    b2 += alert_line("2026-01-02T03:03:00.000000+0000", 1, 100, "192.0.2.1", "10.0.0.2",
                     "Attempted Admin") +
          "\n";
    b2 += alert_line("2026-01-02T03:04:00.000000+0000", 2, 400, "192.0.2.1", "10.0.0.2",
                     "Web attack") +
          "\n";
    EXPECT_EQ(CollectorEnv::call(*ingest_, post_events(b1, t1)).status, 200);
    EXPECT_EQ(CollectorEnv::call(*ingest_, post_events(b2, t2)).status, 200);
  }

  json query(const std::string& target, int expect_status = 200) {
    const HttpResponse r = CollectorEnv::call(*alerts_, get(target));
    EXPECT_EQ(r.status, expect_status) << target << " " << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    return json::parse(r.body);
  }

  static std::vector<int64_t> sids(const json& reply) {
    std::vector<int64_t> out;
    for (const auto& a : reply["alerts"]) out.push_back(a["event"]["alert"]["signature_id"]);
    return out;
  }

  CollectorEnv env_;
  std::unique_ptr<HttpHandler> ingest_;
  std::unique_ptr<HttpHandler> alerts_;
};

TEST_F(AlertsApiTest, ListsNewestFirstWithTheEveObject) {
  const json r = query("/api/v1/alerts");
  EXPECT_EQ(sids(r), (std::vector<int64_t>{400, 100, 300, 200, 100}));
  EXPECT_TRUE(r["next_cursor"].is_null());
  const json& first = r["alerts"][0];
  EXPECT_EQ(first["agent"], "sensor-2");
  EXPECT_EQ(first["site"], "ward-2");
  EXPECT_TRUE(first["id"].is_number_integer());
  EXPECT_EQ(first["event"]["src_ip"], "192.0.2.1");
  EXPECT_EQ(first["event"]["alert"]["category"], "Web attack");
}

TEST_F(AlertsApiTest, Filters) {
  EXPECT_EQ(sids(query("/api/v1/alerts?site=ward-1")), (std::vector<int64_t>{300, 200, 100}));
  EXPECT_EQ(sids(query("/api/v1/alerts?agent=sensor-2")), (std::vector<int64_t>{400, 100}));
  EXPECT_EQ(sids(query("/api/v1/alerts?severity=1")), (std::vector<int64_t>{100, 100}));
  EXPECT_EQ(sids(query("/api/v1/alerts?severity=2&site=ward-2")), (std::vector<int64_t>{400, 100}));
  EXPECT_EQ(sids(query("/api/v1/alerts?sid=100")), (std::vector<int64_t>{100, 100}));
  EXPECT_EQ(sids(query("/api/v1/alerts?address=10.0.0.9")), (std::vector<int64_t>{300}));
  // Addresses are normalised like the stored ones.
  EXPECT_EQ(sids(query("/api/v1/alerts?address=2001:DB8:0:0::1")), (std::vector<int64_t>{200}));
  EXPECT_EQ(sids(query("/api/v1/alerts?q=Web+attack")), (std::vector<int64_t>{400, 200}));
  EXPECT_EQ(sids(query("/api/v1/alerts?q=sid%20300")), (std::vector<int64_t>{300}));
  // Time range: RFC 3339 or unix seconds; from inclusive, to exclusive.
  EXPECT_EQ(sids(query("/api/v1/alerts?from=2026-01-02T03:01:00Z&to=2026-01-02T03:03:00Z")),
            (std::vector<int64_t>{300, 200}));
  EXPECT_EQ(sids(query("/api/v1/alerts?from=1767322860&to=1767322980")),
            (std::vector<int64_t>{300, 200}));
  EXPECT_EQ(sids(query("/api/v1/alerts?from=2026-01-02T04:02:00%2B01:00")),
            (std::vector<int64_t>{400, 100, 300}));
}

TEST_F(AlertsApiTest, CursorPaging) {
  std::vector<int64_t> seen;
  std::string target = "/api/v1/alerts?limit=2";
  int pages = 0;
  for (;;) {
    const json r = query(target);
    ++pages;
    for (int64_t s : sids(r)) seen.push_back(s);
    if (r["next_cursor"].is_null()) break;
    target = "/api/v1/alerts?limit=2&cursor=" + r["next_cursor"].get<std::string>();
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{400, 100, 300, 200, 100}));
  EXPECT_EQ(pages, 3);
}

TEST_F(AlertsApiTest, OneAlertById) {
  const json list = query("/api/v1/alerts?sid=300");
  const int64_t id = list["alerts"][0]["id"];
  const json one = query("/api/v1/alerts/" + std::to_string(id));
  EXPECT_EQ(one["id"], id);
  EXPECT_EQ(one["event"]["alert"]["signature_id"], 300);
  EXPECT_EQ(query("/api/v1/alerts/999999", 404)["error"], "no alert with id 999999");
  EXPECT_EQ(query("/api/v1/alerts/abc", 404)["error"],
            "no such alert: the id must be a positive integer");
  // A stored event that is not an alert is not found here.
  const int64_t flow_id = id + 1;
  EXPECT_EQ(query("/api/v1/alerts/" + std::to_string(flow_id), 404)["error"],
            "no alert with id " + std::to_string(flow_id));
  EXPECT_EQ(env_.rejected(RejectReason::kNotFound), 3u);
}

TEST_F(AlertsApiTest, BadParametersArePrecise400s) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"limit=0", "limit: must be an integer 1-1000"},
      {"limit=1001", "limit: must be an integer 1-1000"},
      {"severity=high",
       "severity: must be an integer 1-255 (the lowest priority wanted; 1 = high only)"},
      {"sid=-4", "sid: must be a positive integer"},
      {"address=10.0.0", "address: \"10.0.0\" is not an IPv4 or IPv6 address"},
      {"from=yesterday", "from: \"yesterday\" is neither unix seconds nor an RFC 3339 time"},
      {"from=200&to=100", "from: must be before to"},
      {"site=ward%201", "site: must be 1-64 characters of [0-9a-zA-Z_.-]"},
      {"cursor=xyz", "cursor: not a next_cursor of an earlier answer"},
      {"colour=red",
       "unknown parameter \"colour\" (site, agent, from, to, severity, sid, address, q, limit, "
       "cursor)"},
      {"site=a&site=b", "parameter \"site\" given twice"},
      {"q=%zz", "malformed %-escape in the query"},
  };
  for (const auto& [params, message] : cases) {
    EXPECT_EQ(query("/api/v1/alerts?" + params, 400)["error"], message) << params;
  }
  EXPECT_EQ(env_.rejected(RejectReason::kBadRequest), cases.size());
}

TEST_F(AlertsApiTest, ApiToken) {
  env_.services().api_token = "s3cret";
  EXPECT_EQ(query("/api/v1/alerts", 401)["error"],
            "API token required (Authorization: Bearer <token>)");
  HttpRequest wrong = get("/api/v1/alerts");
  wrong.headers["authorization"] = "Bearer s3cres";
  EXPECT_EQ(CollectorEnv::call(*alerts_, wrong).status, 401);
  HttpRequest right = get("/api/v1/alerts");
  right.headers["authorization"] = "Bearer s3cret";
  EXPECT_EQ(CollectorEnv::call(*alerts_, right).status, 200);
  EXPECT_EQ(env_.rejected(RejectReason::kUnauthorized), 2u);
}

}  // namespace
}  // namespace nsm4::collector
