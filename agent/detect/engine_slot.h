#pragma once
// The rule set the workers run. A reload publishes a new engine; each worker
// picks it up between packets (shared ownership keeps the old one alive until
// the last worker has moved on).
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "detect/engine.h"
#include "detect/threshold_table.h"

namespace nsm4::detect {

// What the heartbeat says about the rule set in use.
struct RuleSetLabel {
  std::string version;  // short SHA-256 of the rule files' contents
  uint64_t loaded = 0;
  uint64_t failed = 0;  // rules left out: errors, unsupported keywords
};

class EngineSlot {
 public:
  void publish(std::shared_ptr<const Engine> e, RuleSetLabel label = {}) {
    std::atomic_store(&label_, std::make_shared<const RuleSetLabel>(std::move(label)));
    std::atomic_store(&engine_, std::move(e));
    version_.fetch_add(1, std::memory_order_release);
  }
  std::shared_ptr<const Engine> get() const { return std::atomic_load(&engine_); }
  // The label published with the engine in use (empty before the first).
  RuleSetLabel label() const {
    auto l = std::atomic_load(&label_);
    return l ? *l : RuleSetLabel{};
  }
  // Changes on every publish; workers compare it per packet (one atomic load).
  uint64_t version() const { return version_.load(std::memory_order_acquire); }
  // Threshold counters shared by the workers; they outlive reloads (keyed by
  // gid:sid), so a reload does not restart a rule's counting.
  ThresholdTable& shared_thresholds() const { return thresholds_; }

 private:
  std::shared_ptr<const Engine> engine_;
  std::shared_ptr<const RuleSetLabel> label_;
  std::atomic<uint64_t> version_{0};
  mutable ThresholdTable thresholds_;
};

}  // namespace nsm4::detect
