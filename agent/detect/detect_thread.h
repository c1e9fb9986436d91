#pragma once
// A worker's detection context: runs the shared Engine on its packets with
// per-worker scratch (Hyperscan, PCRE2, candidate lists), per-flow state
// (flowbits, pass) and threshold / detection_filter counters.
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "detect/engine.h"
#include "detect/flow_state.h"
#include "detect/pcre.h"

namespace nsm4 {
struct Flow;
}

namespace nsm4::detect {

struct Alert {
  const CompiledRule* rule = nullptr;
};

class DetectThread {
 public:
  explicit DetectThread(std::shared_ptr<const Engine> engine);
  ~DetectThread();

  // Switches to another rule set (between packets).
  void set_engine(std::shared_ptr<const Engine> engine);
  const Engine* engine() const { return engine_.get(); }

  // Inspects one packet; the alerts to write, in Suricata's order, end up in
  // alerts() (valid until the next call).
  void inspect(const Packet& p, Flow* flow, bool toserver);
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
  bool threshold_allows(uint32_t rule_idx, const CompiledRule& r, const ThresholdSpec& t,
                        const Packet& p, const Flow* f);

  std::shared_ptr<const Engine> engine_;
  PrefilterScratchPtr hs_scratch_;
  std::unique_ptr<PcreScratch, void (*)(PcreScratch*)> pcre_;
  InspectState st_;
  std::vector<uint32_t> hits_;
  std::vector<uint32_t> candidates_;
  std::vector<uint32_t> merged_;
  std::vector<Alert> alerts_;
  std::unordered_map<uint64_t, FlowDetectState> flow_states_;

  struct ThreshKey {
    uint32_t rule;
    uint8_t kind;  // 0 threshold, 1 detection_filter
    uint64_t flow;
    std::array<uint8_t, 16> a{}, b{};
    bool operator==(const ThreshKey&) const = default;
  };
  struct ThreshKeyHash {
    size_t operator()(const ThreshKey& k) const;
  };
  struct ThreshEntry {
    int64_t start_sec = 0;
    uint64_t count = 0;
    uint64_t next = 0;
    std::vector<uint16_t> ports;  // unique_on
  };
  std::unordered_map<ThreshKey, ThreshEntry, ThreshKeyHash> thresholds_;
};

}  // namespace nsm4::detect
