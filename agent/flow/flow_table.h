#pragma once
// The per-worker flow table: lookup/create by 5-tuple (+VLAN), per-direction
// counters, TCP state tracking, timeouts in packet time, and a memory cap with
// emergency eviction.
//
// Everything is decided by packet timestamps, never by the wall clock or by
// how often advance_time() runs: a packet whose flow has outlived its timeout
// ends that flow (reason timeout) and starts a new one, exactly as if
// advance_time() had run just before it. So the flows written are the same
// whatever the number of workers.
#include <cstddef>
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
  FlowTimeouts other{30, 300, 0};  // SCTP and every other protocol, as Suricata's "default"
  uint64_t memcap = 512ull << 20;  // bytes for flow state; beyond it, emergency eviction
  bool midstream = false;          // pick up TCP sessions that began before capture
  bool async_oneside = false;      // TCP handshakes of which only one side is seen
};

struct FlowStats {
  uint64_t created = 0;
  uint64_t created_tcp = 0, created_udp = 0, created_icmp = 0, created_other = 0;
  uint64_t ended_timeout = 0;
  uint64_t ended_forced = 0;  // emergency eviction under the memory cap
  uint64_t ended_shutdown = 0;
  uint64_t ended_tcp_reuse = 0;
  uint64_t emergency_evictions = 0;  // times a new flow needed old ones evicted
  uint64_t memcap_drops = 0;         // packets left without a flow: memcap below one flow
  uint64_t active = 0;
  uint64_t memuse = 0;                 // bytes: FlowTable::kBytesPerFlow per active flow
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
  // Returns nullptr for packets that form no flow (not IP, invalid, a bare
  // fragment). An expired flow for the same key is ended first (reason
  // timeout), as is a finished TCP session whose tuple a new SYN reuses
  // (reason tcp_reuse). The pointer is valid until the next call.
  Flow* process(const Packet& p, bool& toserver);

  // Advances packet time: ends every flow whose timeout has passed, that is
  // last_seen + timeout(protocol, state) < now. Cost: O(flows ended).
  void advance_time(Timestamp now);
  // Ends every flow (reason shutdown), e.g. at the end of a capture, in
  // order of start time.
  void flush_all();

  const FlowStats& stats() const { return stats_; }
  size_t size() const;

  // Memory accounted per flow against the memcap: the flow itself and its
  // share of the hash index at the maximum load factor.
  static const size_t kBytesPerFlow;

  // The symmetric hash used both here and to shard packets across workers:
  // equal for both directions of a flow.
  static uint64_t symmetric_hash(const Packet& p);

 private:
  struct Impl;
  FlowStats stats_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsm4
