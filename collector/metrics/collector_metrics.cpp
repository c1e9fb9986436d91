#include "metrics/collector_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <map>
#include <mutex>
#include <tuple>

#include "metrics/category_labels.h"

namespace nsm4::collector {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

constexpr double kMicro = 1e-6;

MetricFamily family(std::string name, std::string help, MetricType type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void sample(MetricFamily& f, Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  if (f.type == MetricType::Counter) {
    m.counter.value = value;
  } else {
    m.gauge.value = value;
  }
  f.metric.push_back(std::move(m));
}

// Label values from an agent's own report (versions) are kept short, cut
// between UTF-8 characters (the exposition format must stay valid UTF-8).
std::string bounded(const std::string& s) {
  constexpr size_t kMaxLabelValue = 64;
  if (s.size() <= kMaxLabelValue) return s;
  size_t n = kMaxLabelValue;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace

bool agent_up(int64_t last_seen_us, int64_t now_us, int64_t down_after_sec) {
  return last_seen_us > 0 && now_us - last_seen_us <= down_after_sec * 1'000'000;
}

struct CollectorMetrics::Impl {
  Impl(ServerCounters& c, MetricsOptions o)
      : counters(c),
        opt(std::move(o)),
        categories(opt.max_alert_categories),
        latency(opt.latency_buckets) {}

  ServerCounters& counters;
  MetricsOptions opt;
  AgentHealthBoard board;

  std::atomic<uint64_t> batches{0};
  std::atomic<uint64_t> duplicate_batches{0};
  std::atomic<uint64_t> events{0};

  mutable std::mutex mu;  // guards what follows
  std::array<uint64_t, kEventTypeLabels.size()> by_type{};
  CategoryLabels categories;
  // (site, severity 1..4, category label) -> alerts
  std::map<std::tuple<std::string, int, std::string>, uint64_t> alerts;
  std::map<std::string, uint64_t> site_alerts;

  prometheus::Histogram latency;  // thread-safe on its own

  void add_alerts(const std::string& site, const BatchSummary& s);
  void agent_families(const MetricsSnapshotInput& in, std::vector<MetricFamily>& out) const;
  void collector_families(const MetricsSnapshotInput& in, std::vector<MetricFamily>& out) const;
};

void CollectorMetrics::Impl::add_alerts(const std::string& site, const BatchSummary& s) {
  std::string demoted;
  for (const auto& [key, n] : s.alerts) {
    const std::string label = categories.label_for(key.second, n, demoted);
    if (!demoted.empty()) {
      for (auto it = alerts.begin(); it != alerts.end();) {
        it = std::get<2>(it->first) == demoted ? alerts.erase(it) : std::next(it);
      }
    }
    alerts[{site, key.first, label}] += n;
    site_alerts[site] += n;
  }
}

void CollectorMetrics::Impl::agent_families(const MetricsSnapshotInput& in,
                                            std::vector<MetricFamily>& out) const {
  auto up = family("nsm4_agent_up", "1 when the agent sent events within agents.down-after",
                   MetricType::Gauge);
  auto last_seen = family("nsm4_agent_last_seen_timestamp_seconds",
                          "When the collector last stored a batch from the agent (unix time)",
                          MetricType::Gauge);
  auto info = family("nsm4_agent_info", "The agent's software and rule-set versions (always 1)",
                     MetricType::Gauge);
  auto uptime =
      family("nsm4_agent_uptime_seconds", "Agent uptime at its last heartbeat", MetricType::Gauge);
  auto packets =
      family("nsm4_agent_packets_total", "Packets decoded by the agent", MetricType::Counter);
  auto bytes = family("nsm4_agent_bytes_total", "Bytes decoded by the agent, by IP version",
                      MetricType::Counter);
  auto drops = family("nsm4_agent_drops_total",
                      "Packets lost: kind=kernel (capture) or internal (agent memory/output)",
                      MetricType::Counter);
  auto flows = family("nsm4_agent_flows_total", "Flows created by the agent", MetricType::Counter);
  auto rules =
      family("nsm4_agent_rules", "Rules in the agent's rule set, by state (loaded, failed)",
             MetricType::Gauge);
  auto spool_batches = family("nsm4_agent_spool_backlog_batches",
                              "Batches waiting in the agent's spool", MetricType::Gauge);
  auto spool_bytes = family("nsm4_agent_spool_backlog_bytes", "Bytes waiting in the agent's spool",
                            MetricType::Gauge);
  auto spool_dropped =
      family("nsm4_agent_spool_dropped_events_total",
             "Events the agent dropped because its spool was full", MetricType::Counter);

  const auto health = board.snapshot();
  for (const auto& a : in.agents) {
    const Labels base{{"site", a.site}, {"agent", a.name}};
    auto it = health.find(a.name);
    const AgentHealth* h = it == health.end() ? nullptr : &it->second;
    const int64_t seen = h ? h->last_seen_us : 0;
    sample(up, base, agent_up(seen, in.now_us, in.agent_down_after_sec) ? 1 : 0);
    if (seen > 0) sample(last_seen, base, static_cast<double>(seen) * kMicro);
    if (!h || !h->has_heartbeat) continue;
    Labels info_labels = base;
    info_labels.push_back({"version", bounded(h->version)});
    info_labels.push_back({"ruleset_version", bounded(h->ruleset_version)});
    sample(info, std::move(info_labels), 1);
    sample(uptime, base, static_cast<double>(h->uptime_sec));
    sample(packets, base, static_cast<double>(h->packets));
    auto with = [&](const char* name, const char* value) {
      Labels l = base;
      l.push_back({name, value});
      return l;
    };
    sample(bytes, with("ip_version", "4"), static_cast<double>(h->bytes_ipv4));
    sample(bytes, with("ip_version", "6"), static_cast<double>(h->bytes_ipv6));
    sample(drops, with("kind", "kernel"), static_cast<double>(h->kernel_drops));
    sample(drops, with("kind", "internal"), static_cast<double>(h->internal_drops));
    sample(flows, base, static_cast<double>(h->flows));
    sample(rules, with("state", "loaded"), static_cast<double>(h->rules_loaded));
    sample(rules, with("state", "failed"), static_cast<double>(h->rules_failed));
    if (h->has_forwarder) {
      sample(spool_batches, base, static_cast<double>(h->forward.spool_batches));
      sample(spool_bytes, base, static_cast<double>(h->forward.spool_bytes));
      sample(spool_dropped, base, static_cast<double>(h->forward.dropped_events));
    }
  }
  for (auto* f : {&up, &last_seen, &info, &uptime, &packets, &bytes, &drops, &flows, &rules,
                  &spool_batches, &spool_bytes, &spool_dropped}) {
    out.push_back(std::move(*f));
  }
}

void CollectorMetrics::Impl::collector_families(const MetricsSnapshotInput& in,
                                                std::vector<MetricFamily>& out) const {
  auto alerts_f = family("nsm4_alerts_total",
                         "Alerts stored, by site, severity (1 high .. 4) and category (top N, "
                         "the rest \"other\")",
                         MetricType::Counter);
  auto ingested = family("nsm4_collector_events_ingested_total",
                         "Events durably stored, by event type", MetricType::Counter);
  {
    std::lock_guard lock(mu);
    for (const auto& [key, n] : alerts) {
      sample(alerts_f,
             {{"site", std::get<0>(key)},
              {"severity", std::string(severity_label(std::get<1>(key)))},
              {"category", std::get<2>(key)}},
             static_cast<double>(n));
    }
    for (size_t i = 0; i < by_type.size(); ++i) {
      sample(ingested, {{"event_type", std::string(kEventTypeLabels[i])}},
             static_cast<double>(by_type[i]));
    }
  }
  out.push_back(std::move(alerts_f));
  out.push_back(std::move(ingested));

  auto batches_f = family("nsm4_collector_batches_total",
                          "Batches accepted, by result (stored, duplicate)", MetricType::Counter);
  sample(batches_f, {{"result", "stored"}}, static_cast<double>(batches.load()));
  sample(batches_f, {{"result", "duplicate"}}, static_cast<double>(duplicate_batches.load()));
  out.push_back(std::move(batches_f));

  auto latency_f =
      family("nsm4_collector_batch_latency_seconds",
             "From a batch's request being received to its durable commit", MetricType::Histogram);
  latency_f.metric.push_back(latency.Collect());
  out.push_back(std::move(latency_f));

  auto store_bytes = family("nsm4_collector_store_size_bytes",
                            "Size of the event store (database and WAL)", MetricType::Gauge);
  sample(store_bytes, {}, static_cast<double>(in.store.file_bytes));
  out.push_back(std::move(store_bytes));
  auto store_events =
      family("nsm4_collector_store_events", "Events in the store", MetricType::Gauge);
  sample(store_events, {}, static_cast<double>(in.store.events));
  out.push_back(std::move(store_events));
  auto queue = family("nsm4_collector_store_queue_events",
                      "Events received and waiting for the store's next commit", MetricType::Gauge);
  sample(queue, {}, static_cast<double>(in.store_queue_events));
  out.push_back(std::move(queue));

  auto rejected = family("nsm4_collector_rejected_requests_total",
                         "Requests (and NDJSON lines: reason malformed_line) refused, by reason",
                         MetricType::Counter);
  for (size_t i = 0; i < counters.rejected.size(); ++i) {
    sample(rejected, {{"reason", reject_reason_name(static_cast<RejectReason>(i))}},
           static_cast<double>(counters.rejected[i].load(std::memory_order_relaxed)));
  }
  out.push_back(std::move(rejected));

  auto open =
      family("nsm4_collector_connections_open", "Client connections open now", MetricType::Gauge);
  sample(open, {}, static_cast<double>(counters.connections_open.load()));
  out.push_back(std::move(open));
  auto conns = family("nsm4_collector_connections_total", "Client connections accepted",
                      MetricType::Counter);
  sample(conns, {}, static_cast<double>(counters.connections_total.load()));
  out.push_back(std::move(conns));
  auto requests =
      family("nsm4_collector_requests_total", "HTTP requests received", MetricType::Counter);
  sample(requests, {}, static_cast<double>(counters.requests_total.load()));
  out.push_back(std::move(requests));
}

CollectorMetrics::CollectorMetrics(ServerCounters& counters, MetricsOptions opt)
    : impl_(std::make_unique<Impl>(counters, std::move(opt))) {}

CollectorMetrics::~CollectorMetrics() = default;

AgentHealthBoard& CollectorMetrics::health() {
  return impl_->board;
}
const AgentHealthBoard& CollectorMetrics::health() const {
  return impl_->board;
}

void CollectorMetrics::record_batch(const std::string& site, const BatchSummary& summary,
                                    double latency_sec) {
  impl_->batches.fetch_add(1, std::memory_order_relaxed);
  impl_->events.fetch_add(summary.events, std::memory_order_relaxed);
  {
    std::lock_guard lock(impl_->mu);
    for (size_t i = 0; i < summary.by_type.size(); ++i) impl_->by_type[i] += summary.by_type[i];
    impl_->add_alerts(site, summary);
  }
  impl_->latency.Observe(latency_sec);
}

void CollectorMetrics::record_duplicate_batch(double latency_sec) {
  impl_->duplicate_batches.fetch_add(1, std::memory_order_relaxed);
  impl_->latency.Observe(latency_sec);
}

uint64_t CollectorMetrics::batches_total() const {
  return impl_->batches.load();
}
uint64_t CollectorMetrics::events_total() const {
  return impl_->events.load();
}

std::map<std::string, uint64_t> CollectorMetrics::alerts_by_site() const {
  std::lock_guard lock(impl_->mu);
  return impl_->site_alerts;
}

std::string CollectorMetrics::render(const MetricsSnapshotInput& in) const {
  std::vector<MetricFamily> families;
  impl_->agent_families(in, families);
  impl_->collector_families(in, families);
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace nsm4::collector
