#pragma once
// Counters of one agent run, merged from the dispatcher and the workers, and
// their EVE `stats` record.
#include <cstdint>
#include <string>

#include "app/app_layer.h"
#include "capture/packet_source.h"
#include "decode/decoder.h"
#include "flow/flow_table.h"
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

struct AgentStats {
  CaptureCounters capture;
  DecodeStats decode;
  DefragStats defrag;
  WorkerStats workers;
  uint64_t eve_write_errors = 0;
};

// Appends one EVE stats line.
void format_stats_event(std::string& out, const AgentStats& s, Timestamp now, int64_t uptime_sec,
                        bool live);

}  // namespace nsm4
