#pragma once
// A worker owns one shard of the flows: every packet of a flow (both
// directions) reaches the same worker, so no flow state is shared.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "detect/detect_thread.h"
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
};

// The rule set the workers run. A reload publishes a new engine; each worker
// picks it up between packets (shared ownership keeps the old one alive until
// the last worker has moved on).
class EngineSlot {
 public:
  void publish(std::shared_ptr<const detect::Engine> e) {
    std::atomic_store(&engine_, std::move(e));
    version_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const detect::Engine> get() const { return std::atomic_load(&engine_); }
  uint64_t version() const { return version_.load(std::memory_order_acquire); }

 private:
  std::shared_ptr<const detect::Engine> engine_;
  std::atomic<uint64_t> version_{0};
};

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
  FlowTable flows_;
  int64_t last_tick_sec_ = 0;

  mutable std::mutex published_mu_;
  WorkerStats published_;
};

}  // namespace nsm4
