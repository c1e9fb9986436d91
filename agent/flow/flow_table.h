#pragma once
// The per-worker flow table: lookup/create by 5-tuple (+VLAN), per-direction
// counters, TCP state tracking, timeouts in packet time, and a memory cap with
// emergency eviction.
#include <cstdint>
#include <functional>
#include <memory>

#include "flow/flow.h"

namespace nsm4 {

struct FlowTimeouts {  // seconds
  uint32_t new_ = 30;
  uint32_t established = 300;
  uint32_t closed = 0;
};

struct FlowConfig {
  FlowTimeouts tcp{60, 600, 60};
  FlowTimeouts udp{30, 300, 0};
  FlowTimeouts icmp{30, 300, 0};
  FlowTimeouts other{30, 300, 0};
  uint64_t memcap = 512ull << 20;  // bytes for flow state; beyond it, emergency eviction
  bool midstream = false;          // pick up TCP sessions that began before capture
};

struct FlowStats {
  uint64_t created = 0;
  uint64_t created_tcp = 0, created_udp = 0, created_icmp = 0, created_other = 0;
  uint64_t ended_timeout = 0;
  uint64_t ended_forced = 0;  // emergency eviction under the memory cap
  uint64_t ended_shutdown = 0;
  uint64_t emergency_evictions = 0;
  uint64_t active = 0;
  uint64_t memuse = 0;  // bytes
  uint64_t tcp_midstream_ignored = 0;  // TCP flows seen without SYN while midstream is off
  void merge(const FlowStats& o);
};

// Receives ended flows; the Flow is valid only during the call.
using FlowEndFn = std::function<void(const Flow&, FlowEndReason)>;

class FlowTable {
 public:
  FlowTable(const FlowConfig& cfg, FlowEndFn on_end);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // The flow of a decoded IP packet (created if new), updated with it.
  // `toserver` tells the packet's direction relative to the flow's initiator.
  // Returns nullptr for packets that form no flow (not IP, invalid).
  // Expired flows for the same key are ended first (reason timeout).
  Flow* process(const Packet& p, bool& toserver);

  // Advances packet time: ends every flow whose timeout has passed.
  void advance_time(Timestamp now);
  // Ends every flow (reason shutdown), e.g. at the end of a capture.
  void flush_all();

  const FlowStats& stats() const { return stats_; }
  size_t size() const;

  // The symmetric hash used both here and to shard packets across workers:
  // equal for both directions of a flow.
  static uint64_t symmetric_hash(const Packet& p);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  FlowStats stats_;
};

}  // namespace nsm4
