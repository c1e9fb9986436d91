#pragma once
// A worker's detection context: runs the shared Engine on its packets with
// per-worker scratch (Hyperscan, PCRE2, candidate lists), per-flow state
// (flowbits, pass) and threshold / detection_filter counters.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "detect/engine.h"
#include "detect/flow_state.h"
#include "detect/pcre.h"
#include "detect/threshold_table.h"

namespace nsm4 {
struct Flow;
}

namespace nsm4::detect {

struct Alert {
  const CompiledRule* rule = nullptr;
  int64_t tx_id = -1;  // the transaction a transaction rule matched, else -1
};

// The reassembled stream around a TCP packet: `context` bytes that came
// before (already inspected) and then the bytes this packet made available
// in order. Rules match content across segment boundaries on it.
struct StreamChunk {
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  uint32_t context = 0;
};

// Detection state of one app-layer transaction, kept by the caller with the
// transaction: the rules that matched it already (each alerts at most once
// per transaction, as in Suricata).
struct TxDetectState {
  std::vector<uint32_t> matched;    // rule indexes, sorted
  uint64_t engine_version = 0;      // the rule set they refer to
  std::vector<std::string> events;  // app-layer events raised on it, lower case
};

class DetectThread {
 public:
  // shared: the threshold table of all workers (by_src, by_dst, by_rule);
  // nullptr counts everything in this thread.
  explicit DetectThread(std::shared_ptr<const Engine> engine, ThresholdTable* shared = nullptr);
  ~DetectThread();

  // Switches to another rule set (between packets).
  void set_engine(std::shared_ptr<const Engine> engine);
  const Engine* engine() const { return engine_.get(); }

  // Inspects one packet; the alerts to write, in Suricata's order, end up in
  // alerts() (valid until the next call).
  // stream: the packet's reassembled stream chunk (TCP), nullptr when none.
  void inspect(const Packet& p, Flow* flow, bool toserver, const StreamChunk* stream = nullptr);
  // Inspects one transaction of the flow with the transaction rules of its
  // protocol, after the packet `p` brought it new data. Its alerts are added
  // to alerts() (call after inspect() for the same packet).
  void inspect_tx(const Packet& p, Flow* flow, bool toserver, uint8_t app_proto,
                  const BufferSource& tx, uint64_t tx_id, TxDetectState& ts);
  const std::vector<Alert>& alerts() const { return alerts_; }

  // A pass rule matched on the flow.
  bool flow_passed(uint64_t flow_id) const {
    if (flow_states_.empty()) return false;
    auto it = flow_states_.find(flow_id);
    return it != flow_states_.end() && it->second.pass;
  }
  // The flow ended: its detection state goes.
  void flow_ended(uint64_t flow_id) {
    if (!flow_states_.empty()) flow_states_.erase(flow_id);
  }

  static constexpr size_t kMaxAlertsPerPacket = 15;  // Suricata's packet-alert-max

 private:
  bool header_matches(const CompiledRule& r, const Packet& p) const;
  bool rule_matches(const CompiledRule& r, const PacketCtx& c);
  // The rule matches content of the stream chunk that includes new bytes.
  bool stream_matches(const CompiledRule& r, const PacketCtx& c, const StreamChunk& s);
  void prefilter(const ProtoGroups& pg, const RuleGroup* port_group, const uint8_t* data,
                 uint32_t len);
  // Appends to hits_ the rules whose fast pattern `pf` finds in the data.
  void scan_rules(const Prefilter& pf, const std::vector<std::vector<uint32_t>>& pattern_rules,
                  const uint8_t* data, uint32_t len);
  // One buffer's keywords, after the program's transforms.
  bool inspect_program(const BufferProgram& prog, BufferView b);
  bool tx_rule_matches(const CompiledRule& r, const PacketCtx& c, const BufferSource& tx,
                       const TxDetectState& ts);
  // A rule matched: flowbits, thresholds, pass. False when a pass rule ends
  // the packet's inspection.
  enum class Verdict { kAlert, kSilent, kPass };
  Verdict on_match(const CompiledRule& r, const Packet& p, Flow* flow, FlowDetectState*& fs);
  FlowDetectState* flow_state(const Flow* flow);
  bool threshold_allows(const CompiledRule& r, const ThresholdSpec& t, const Packet& p,
                        const Flow* f);

  std::shared_ptr<const Engine> engine_;
  PrefilterScratchPtr hs_scratch_;
  std::unique_ptr<PcreScratch, void (*)(PcreScratch*)> pcre_;
  InspectState st_;
  std::vector<uint32_t> hits_;
  std::vector<uint32_t> candidates_;
  std::vector<uint32_t> merged_;
  std::vector<Alert> alerts_;
  std::string xform_[2];  // transform outputs, alternating
  // pkt_data is this instead of the packet payload (stream inspection).
  const BufferView* pkt_override_ = nullptr;
  uint64_t engine_version_ = 1;  // bumped by set_engine
  std::unordered_map<uint64_t, FlowDetectState> flow_states_;

  ThresholdTable local_thresholds_;  // by_flow, by_both (and all when not shared)
  ThresholdTable* shared_;           // by_src, by_dst, by_rule across workers
};

}  // namespace nsm4::detect
