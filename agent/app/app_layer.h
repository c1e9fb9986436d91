#pragma once
// A worker's application layer: per flow, the two TCP streams, protocol
// detection on the first bytes, and the protocol's parser. After each packet
// the worker takes from it the transactions that changed (to inspect with
// the transaction rules), the EVE records ready and the app-layer anomalies.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/app_config.h"
#include "app/app_parser.h"
#include "detect/detect_thread.h"
#include "flow/flow.h"
#include "reassembly/tcp_stream.h"

namespace nsm4::app {

struct AppStats {
  uint64_t flows[kProtoCount] = {};  // flows by detected protocol (failed included)
  uint64_t parsed_bytes = 0;
  uint64_t gaps = 0;
  uint64_t txs = 0;
  uint64_t logs = 0;
  uint64_t events = 0;
  uint64_t stream_events = 0;
  uint64_t memory = 0;       // bytes held now: streams and parsers
  uint64_t memory_peak = 0;  // streams only
  uint64_t held_logs_limit_hits =
      0;  // records written before their ack (AppConfig::held_logs_limit)
  StreamStats stream;
  void merge(const AppStats& o);
};

// A transaction that changed during the last process() call.
struct ChangedTx {
  AppTx* tx;
  detect::TxDetectState* detect;
  const AppParser* parser;  // for the transaction's alert metadata
};

// An app-layer anomaly of the last call, with the protocol it came from.
struct AppAnomaly {
  AppEvent event;
  uint8_t proto;
};

class AppLayer {
 public:
  explicit AppLayer(const AppConfig& cfg);
  ~AppLayer();
  AppLayer(const AppLayer&) = delete;
  AppLayer& operator=(const AppLayer&) = delete;

  // After the flow table took packet `p` (flow `f`, its direction): streams,
  // detection, parsing. Sets f.app_proto once known. When detection finds
  // that the side taken for the client is the server (midstream pickup, a
  // UDP answer first), the flow is swapped and `toserver` flipped.
  void process(const Packet& p, Flow& f, bool& toserver);
  // The flow ended: streams closed, parsers told, everything left logged.
  void flow_end(const Flow& f);

  // Results of the last process() / flow_end(), valid until the next call.
  const std::vector<ChangedTx>& changed() const { return changed_; }
  std::vector<AppLog>& logs() { return logs_; }
  const std::vector<AppAnomaly>& anomalies() const { return anomalies_; }
  const std::vector<StreamEvent>& stream_events() const { return stream_events_; }
  // The reassembled bytes the packet made available in its direction, with
  // context from before; nullptr when it made none available.
  const detect::StreamChunk* stream_chunk() const { return has_chunk_ ? &chunk_ : nullptr; }

  AppStats stats() const;

 private:
  struct FlowApp;
  class DirSink;
  FlowApp* state_for(const Flow& f, bool create);
  void process_tcp(const Packet& p, Flow& f, FlowApp& fa, int dir);
  void process_udp(const Packet& p, Flow& f, FlowApp& fa, int dir);
  void on_data(FlowApp& fa, int dir, const uint8_t* data, uint32_t len);
  void detect_protocol(FlowApp& fa, int dir);
  uint8_t probe_all(const FlowApp& fa, Dir d, std::span<const uint8_t> data, bool& more) const;
  void swap_sides(FlowApp& fa);
  // No parser recognised the flow (fa: its app state, when it has one).
  void fail_detection(FlowApp* fa);
  void start_parser(FlowApp& fa, uint8_t proto);
  void change_protocol(FlowApp& fa);
  void collect(FlowApp& fa, bool flow_end);
  // The records of `fa` whose data the peer acked (all with `all`) go to
  // logs_, in order; the new ones wait behind them when not yet acked.
  void release_logs(FlowApp& fa, bool all);
  void add_logs(FlowApp& fa, std::vector<AppLog>& fresh, bool flow_end);
  void clear_results();
  // Lets the parser of the previous call's flow free what it no longer needs
  // (after the worker inspected and logged the previous call's results).
  void prune_after_use();

  AppConfig cfg_;
  StreamMemory stream_mem_;
  AppStats stats_;
  std::unordered_map<uint64_t, std::unique_ptr<FlowApp>> flows_;
  Timestamp now_;
  Flow* cur_flow_ = nullptr;
  FlowApp* last_ = nullptr;
  bool swapped_ = false;
  int raw_side_ = -1;    // the side whose delivered bytes make the stream chunk
  std::string raw_new_;  // bytes of that side delivered during this call
  std::string raw_chunk_;
  detect::StreamChunk chunk_;
  bool has_chunk_ = false;
  std::vector<ChangedTx> changed_;
  std::vector<AppLog> logs_;
  std::vector<AppLog> scratch_logs_;
  bool fed_[2] = {false, false};  // sides (physical) that got data during this call
  std::vector<AppAnomaly> anomalies_;
  std::vector<StreamEvent> stream_events_;
  std::vector<AppEvent> scratch_events_;
};

}  // namespace nsm4::app
