#include "metrics/collector_metrics.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>

#include "collector/collector_test_env.h"
#include "ingest/eve_timestamp.h"
#include "ingest/ingest_handler.h"

namespace nsm4::collector {
namespace {

using test::alert_line;
using test::CollectorEnv;
using test::post_events;
using test::stats_line;

const char* kTs = "2026-01-02T03:04:05.000000+0000";

// The value of one sample ("name{labels}") in a rendering, or -1 when absent.
double sample_value(const std::string& text, const std::string& series) {
  const size_t pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return -1;
  return std::strtod(text.c_str() + pos + 1 + series.size() + 1, nullptr);
}

class CollectorMetricsTest : public ::testing::Test {
 protected:
  CollectorMetricsTest() : ingest_(make_ingest_handler(env_.services())) {
    token1_ = env_.registry().add("sensor-1", "ward-1");
    token2_ = env_.registry().add("sensor-2", "ward-2");
    env_.registry().add("sensor-3", "ward-2");  // never reports
  }

  void ingest(const std::string& body, const std::string& token) {
    const HttpResponse r = CollectorEnv::call(*ingest_, post_events(body, token));
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_NE(r.body.find("\"rejected_lines\":0"), std::string::npos) << r.body;
  }

  std::string render(int64_t now_us = wall_clock_us()) {
    MetricsSnapshotInput in;
    in.agents = env_.registry().list();
    in.store = env_.store().stats();
    in.now_us = now_us;
    in.agent_down_after_sec = 120;
    return env_.metrics().render(in);
  }

  CollectorEnv env_;
  std::unique_ptr<HttpHandler> ingest_;
  std::string token1_, token2_;
};

TEST_F(CollectorMetricsTest, CountsFromIngestedEvents) {
  ingest(alert_line(kTs, 1, 1, "10.0.0.1", "10.0.0.2", "Attempted Admin") + "\n" +
             alert_line(kTs, 1, 2, "10.0.0.1", "10.0.0.2", "Attempted Admin") + "\n" +
             alert_line(kTs, 3, 3, "10.0.0.1", "10.0.0.2", "Misc activity") + "\n" +
             alert_line(kTs, 9, 4, "10.0.0.1", "10.0.0.2", "Misc activity") + "\n" +
             R"({"event_type":"flow"})" + "\n" + R"({"event_type":"made_up"})" + "\n" +
             stats_line(kTs, 1000, 4),
         token1_);
  ingest(alert_line(kTs, 2, 5, "10.0.0.1", "10.0.0.2", "Attempted Admin"), token2_);
  const std::string text = render();
  EXPECT_EQ(
      sample_value(text,
                   R"(nsm4_alerts_total{site="ward-1",severity="1",category="Attempted Admin"})"),
      2);
  EXPECT_EQ(sample_value(
                text, R"(nsm4_alerts_total{site="ward-1",severity="3",category="Misc activity"})"),
            1);
  EXPECT_EQ(sample_value(
                text, R"(nsm4_alerts_total{site="ward-1",severity="4",category="Misc activity"})"),
            1);
  EXPECT_EQ(
      sample_value(text,
                   R"(nsm4_alerts_total{site="ward-2",severity="2",category="Attempted Admin"})"),
      1);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_events_ingested_total{event_type="alert"})"), 5);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_events_ingested_total{event_type="flow"})"), 1);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_events_ingested_total{event_type="other"})"), 1);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_events_ingested_total{event_type="stats"})"), 1);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_batches_total{result="stored"})"), 2);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_batch_latency_seconds_count)"), 2);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_store_events)"), 8);
  EXPECT_GT(sample_value(text, R"(nsm4_collector_store_size_bytes)"), 0);

  // Heartbeat figures, labelled with the registry's site and agent.
  EXPECT_EQ(sample_value(text, R"(nsm4_agent_up{site="ward-1",agent="sensor-1"})"), 1);
  EXPECT_EQ(sample_value(text, R"(nsm4_agent_up{site="ward-2",agent="sensor-3"})"), 0);
  EXPECT_EQ(sample_value(
                text, R"(nsm4_agent_last_seen_timestamp_seconds{site="ward-2",agent="sensor-3"})"),
            -1);
  EXPECT_GT(sample_value(
                text, R"(nsm4_agent_last_seen_timestamp_seconds{site="ward-1",agent="sensor-1"})"),
            1.7e9);
  EXPECT_EQ(sample_value(text, R"(nsm4_agent_packets_total{site="ward-1",agent="sensor-1"})"),
            1000);
  EXPECT_EQ(sample_value(
                text, R"(nsm4_agent_bytes_total{site="ward-1",agent="sensor-1",ip_version="6"})"),
            300);
  EXPECT_EQ(
      sample_value(text, R"(nsm4_agent_drops_total{site="ward-1",agent="sensor-1",kind="kernel"})"),
      4);
  EXPECT_EQ(sample_value(
                text, R"(nsm4_agent_drops_total{site="ward-1",agent="sensor-1",kind="internal"})"),
            9);
  EXPECT_EQ(sample_value(text, R"(nsm4_agent_flows_total{site="ward-1",agent="sensor-1"})"), 17);
  EXPECT_EQ(
      sample_value(text, R"(nsm4_agent_spool_backlog_batches{site="ward-1",agent="sensor-1"})"), 4);
  EXPECT_EQ(sample_value(text, R"(nsm4_agent_spool_backlog_bytes{site="ward-1",agent="sensor-1"})"),
            4096);
  EXPECT_EQ(
      sample_value(
          text,
          R"(nsm4_agent_info{site="ward-1",agent="sensor-1",version="0.5.0",ruleset_version="et-2026-01-02"})"),
      1);
  EXPECT_EQ(sample_value(text, R"(nsm4_collector_rejected_requests_total{reason="unauthorized"})"),
            0);

  // Down after agents.down-after without a batch.
  const std::string later = render(wall_clock_us() + int64_t{121} * 1'000'000);
  EXPECT_EQ(sample_value(later, R"(nsm4_agent_up{site="ward-1",agent="sensor-1"})"), 0);
}

TEST_F(CollectorMetricsTest, LabelsNeverCarryAddressesSidsOrFreeText) {
  ingest(alert_line(kTs, 1, 424242, "192.0.2.77", "198.51.100.9", "Attempted Admin"), token1_);
  const std::string text = render();
  EXPECT_EQ(text.find("192.0.2.77"), std::string::npos);
  EXPECT_EQ(text.find("424242"), std::string::npos);
  EXPECT_EQ(text.find("TEST sid"), std::string::npos);
}

TEST_F(CollectorMetricsTest, AlertCategoriesAreBounded) {
  std::string body;
  for (int i = 0; i < 60; ++i) {
    body += alert_line(kTs, 2, i + 1, "10.0.0.1", "10.0.0.2", "cat-" + std::to_string(i)) + "\n";
  }
  ingest(body, token1_);
  const std::string text = render();
  size_t series = 0;
  for (size_t pos = 0; (pos = text.find("\nnsm4_alerts_total{", pos)) != std::string::npos; ++pos) {
    ++series;
  }
  EXPECT_EQ(series, MetricsOptions{}.max_alert_categories + 1);  // + "other"
  EXPECT_EQ(sample_value(text, R"(nsm4_alerts_total{site="ward-1",severity="2",category="other"})"),
            60 - static_cast<double>(MetricsOptions{}.max_alert_categories));
}

TEST_F(CollectorMetricsTest, LongVersionsAreCutBetweenCharacters) {
  std::string e_acute_40;
  for (int i = 0; i < 40; ++i) e_acute_40 += "\xC3\xA9";
  std::string heartbeat = stats_line(kTs, 1, 0);
  heartbeat.replace(heartbeat.find("0.5.0"), 5, "x" + e_acute_40);  // 81 bytes
  ingest(heartbeat, token1_);
  std::string expected = "x";
  for (int i = 0; i < 31; ++i) expected += "\xC3\xA9";  // 63 bytes: the 64th would split one
  EXPECT_EQ(sample_value(render(), R"(nsm4_agent_info{site="ward-1",agent="sensor-1",version=")" +
                                       expected + R"(",ruleset_version="et-2026-01-02"})"),
            1);
}

// `promtool check metrics` reads the exposition on stdin and lints it.
TEST_F(CollectorMetricsTest, PromtoolCheckMetricsPasses) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr)
      FAIL() << "promtool missing in CI (scripts/install-deps --test)";
    GTEST_SKIP()
        << "promtool not installed (Debian package prometheus; scripts/install-deps --test)";
  }
  // A category with a quote and a backslash (JSON-escaped in the EVE line).
  ingest(alert_line(kTs, 1, 1, "10.0.0.1", "10.0.0.2", R"(Attempted \"Admin\" \\ x)") + "\n" +
             stats_line(kTs, 1000, 4),
         token1_);
  ingest(R"({"event_type":"flow"})", token2_);
  const std::string text = render();
  EXPECT_EQ(
      sample_value(
          text,
          R"(nsm4_alerts_total{site="ward-1",severity="1",category="Attempted \"Admin\" \\ x"})"),
      1);
  const std::string path = testing::TempDir() + "nsm4_metrics_promtool.txt";
  {
    std::ofstream out(path);
    out << text;
  }
  const std::string cmd = "promtool check metrics < " + path + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) output += buf;
  const int status = pclose(p);
  if (std::getenv("NSM4_KEEP_METRICS") == nullptr) std::remove(path.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output << "\n" << text;
  EXPECT_EQ(output, "") << text;
}

}  // namespace
}  // namespace nsm4::collector
