#pragma once
// The agent's packet path: read -> decode -> defragment -> shard by flow ->
// workers. With one worker everything runs inline on the reading thread.
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "capture/packet_source.h"
#include "decode/decoder.h"
#include "engine/agent_stats.h"
#include "engine/worker.h"
#include "output/eve_sink.h"
#include "reassembly/defrag.h"

namespace nsm4 {

struct PipelineConfig {
  DecodeConfig decode;
  DefragConfig defrag;
  WorkerConfig worker;
  int workers = 1;
  int stats_interval_sec = 8;  // 0 = only the final stats record
  AgentIdentity identity;      // stats.agent
  // The forwarder's counters for stats.forward; unset when not forwarding.
  std::function<forward::ForwardStats()> forward_stats;
};

struct RunResult {
  AgentStats stats;
  bool read_error = false;
  std::string error;
  double seconds = 0;
  Timestamp first_ts;
  Timestamp last_ts;
};

class Pipeline {
 public:
  // rules: the rule set slot the workers follow; nullptr runs no detection.
  Pipeline(const PipelineConfig& cfg, EveSink& sink, const EngineSlot* rules = nullptr);
  ~Pipeline();

  // Called about twice a second while reading (progress display).
  using ProgressFn = std::function<void(const PacketSource&, uint64_t packets)>;

  // Reads `src` until its end or until `stop` is set.
  RunResult run(PacketSource& src, const std::atomic<bool>& stop, const ProgressFn& progress);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsm4
