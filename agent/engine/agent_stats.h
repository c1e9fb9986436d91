#pragma once
// Counters of one agent run, merged from the dispatcher and the workers, and
// their EVE `stats` record.
#include <cstdint>
#include <optional>
#include <string>

#include "app/app_layer.h"
#include "capture/packet_source.h"
#include "decode/decoder.h"
#include "flow/flow_table.h"
#include "output/forward_stats.h"
#include "reassembly/defrag.h"

namespace nsm4 {

struct WorkerStats {
  FlowStats flow;
  app::AppStats app;
  uint64_t app_events = 0;  // http, dns, tls records
  uint64_t anomaly_events = 0;
  uint64_t alert_events = 0;
  uint64_t flow_events = 0;
  uint64_t packets = 0;
  void merge(const WorkerStats& o);
};

// Who is reporting (stats.agent): fixed for a run.
struct AgentIdentity {
  std::string version;
  std::string site;
  std::string name;
};

// The rule set in use (stats.agent.rules); changes on reload.
struct RuleSetSummary {
  std::string version;  // short SHA-256 of the rule files' contents, "" without rules
  uint64_t loaded = 0;
  uint64_t failed = 0;  // rules left out (errors, unsupported keywords)
};

struct AgentStats {
  CaptureCounters capture;
  DecodeStats decode;
  DefragStats defrag;
  WorkerStats workers;
  uint64_t eve_write_errors = 0;
  AgentIdentity agent;
  RuleSetSummary rules;
  std::optional<forward::ForwardStats> forward;  // when forwarding to a collector
};

// Appends one EVE stats line.
void format_stats_event(std::string& out, const AgentStats& s, Timestamp now, int64_t uptime_sec,
                        bool live);

}  // namespace nsm4
