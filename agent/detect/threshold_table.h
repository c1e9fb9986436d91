#pragma once
// Counters of threshold and detection_filter, keyed by rule (gid:sid), kind
// and tracked value. A worker keeps its own table for by_flow and by_both
// (a flow and an address pair always meet in one worker); by_src, by_dst and
// by_rule use one table shared by all workers, behind a mutex (only rules
// with a threshold that matched get here).
#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "decode/packet.h"
#include "detect/keyword.h"

namespace nsm4::detect {

class ThresholdTable {
 public:
  // Counts one match of the rule; true when it may alert.
  bool allow(uint32_t gid, uint32_t sid, const ThresholdSpec& t, const Packet& p, uint64_t flow_id);
  void clear();

  // Whether a tracking mode is exact per worker (else the shared table).
  static bool per_worker(ThresholdSpec::Track t) {
    return t == ThresholdSpec::kByFlow || t == ThresholdSpec::kByBoth;
  }

 private:
  struct Key {
    uint64_t rule;  // gid << 32 | sid
    uint8_t kind;   // 0 threshold, 1 detection_filter
    uint64_t flow;
    std::array<uint8_t, 16> a{}, b{};
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  struct Entry {
    int64_t start_sec = 0;
    uint64_t count = 0;
    uint64_t next = 0;
    std::vector<uint16_t> ports;  // unique_on
    int64_t seconds = 0;          // the window; -1: never expires (backoff)
  };
  // Expired windows are dropped when the table grows this large.
  static constexpr size_t kPruneAt = 1 << 16;
  void prune(int64_t now);
  std::mutex mu_;
  std::unordered_map<Key, Entry, KeyHash> entries_;
};

}  // namespace nsm4::detect
