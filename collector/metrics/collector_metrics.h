#pragma once
// The collector's Prometheus metrics (GET /metrics): per agent and site the
// figures of the agents' heartbeats, alerts by site, severity and category,
// and the collector's own ingest, latency, store and rejection counters.
// prometheus-cpp stays inside collector_metrics.cpp.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/http_types.h"
#include "ingest/agent_health.h"
#include "metrics/batch_summary.h"
#include "store/agent_registry.h"
#include "store/event_store.h"

namespace nsm4::collector {

struct MetricsOptions {
  size_t max_alert_categories = 20;  // category label: the top N by count, the rest "other"
  // Batch latency histogram (request received -> durably stored), seconds.
  std::vector<double> latency_buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                         0.25,  0.5,    1,     2.5,  5,     10};
};

struct MetricsSnapshotInput {
  std::vector<AgentRecord> agents;  // the registry: the only source of site/agent labels
  StoreStats store;
  uint64_t store_queue_events = 0;  // StoreWriter::queued_events()
  int64_t now_us = 0;
  int64_t agent_down_after_sec = 120;
};

class CollectorMetrics {
 public:
  explicit CollectorMetrics(ServerCounters& counters, MetricsOptions opt = {});
  ~CollectorMetrics();
  CollectorMetrics(const CollectorMetrics&) = delete;
  CollectorMetrics& operator=(const CollectorMetrics&) = delete;

  // Per-agent heartbeats and last-seen times (written by ingest, read by the API too).
  AgentHealthBoard& health();
  const AgentHealthBoard& health() const;

  // A batch from an agent of `site` was durably stored.
  void record_batch(const std::string& site, const BatchSummary& summary, double latency_sec);
  // A batch was a duplicate of one already stored (nothing stored).
  void record_duplicate_batch(double latency_sec);

  uint64_t batches_total() const;
  uint64_t events_total() const;
  // Alerts stored per site since the collector started.
  std::map<std::string, uint64_t> alerts_by_site() const;

  // The Prometheus text exposition format 0.0.4.
  std::string render(const MetricsSnapshotInput& in) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when an agent last seen at `last_seen_us` counts as up at `now_us`.
bool agent_up(int64_t last_seen_us, int64_t now_us, int64_t down_after_sec);

}  // namespace nsm4::collector
