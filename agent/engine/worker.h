#pragma once
// A worker owns one shard of the flows: every packet of a flow (both
// directions) reaches the same worker, so no flow state is shared.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "app/app_layer.h"
#include "detect/detect_thread.h"
#include "detect/engine_slot.h"
#include "engine/agent_stats.h"
#include "flow/flow_table.h"
#include "output/eve_format.h"
#include "output/eve_sink.h"

namespace nsm4 {

struct WorkerConfig {
  FlowConfig flow;
  EveOptions eve;
  bool log_flows = true;
  bool log_decode_anomalies = true;
  bool log_app = true;  // http, dns, tls records and app-layer anomalies
  app::AppConfig app;
};

using detect::EngineSlot;

class Worker {
 public:
  // rules: nullptr runs no detection.
  Worker(const WorkerConfig& cfg, EveSink& sink, const EngineSlot* rules = nullptr);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void process(const Packet& p);
  // Packet time moved on (also when this worker saw no packet).
  void advance_time(Timestamp now);
  // End of input: expire by `now`, end the remaining flows, flush output.
  void finish(Timestamp now);

  // A consistent copy of the counters, safe to call from another thread.
  WorkerStats snapshot() const;

 private:
  void on_flow_end(const Flow& f, FlowEndReason reason);
  void detect(const Packet& p, Flow* flow, bool toserver);
  void write_app_results(const Packet& p, const Flow& flow);
  void flush_output(bool force);
  void publish();

  WorkerConfig cfg_;
  EveSink& sink_;
  std::string out_;
  uint64_t out_events_ = 0;
  WorkerStats stats_;
  const EngineSlot* rules_;
  uint64_t rules_version_ = 0;
  std::unique_ptr<detect::DetectThread> detect_;
  std::unique_ptr<app::AppLayer> app_;
  FlowTable flows_;
  int64_t last_tick_sec_ = 0;

  mutable std::mutex published_mu_;
  WorkerStats published_;
};

}  // namespace nsm4
