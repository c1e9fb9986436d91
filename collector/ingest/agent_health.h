#pragma once
// What the collector knows of each agent's health: when it last sent anything,
// and the figures of its last heartbeat (the EVE `stats` event). In memory,
// primed at startup from the newest stored stats event of each agent.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/agent_registry.h"
#include "store/event_store.h"

namespace nsm4::collector {

struct ForwarderHealth {  // stats.forward.* (the agent's forwarder)
  uint64_t spool_batches = 0;
  uint64_t spool_bytes = 0;
  uint64_t dropped_batches = 0;
  uint64_t dropped_events = 0;
  uint64_t sent_batches = 0;
  uint64_t retries = 0;
};

struct AgentHealth {
  int64_t last_seen_us = 0;  // collector clock: the last stored batch from the agent
  bool has_heartbeat = false;
  int64_t heartbeat_ts_us = 0;  // the last stats event's own timestamp (agent clock)
  std::string version;          // stats.agent.version
  int64_t uptime_sec = 0;       // stats.uptime
  uint64_t packets = 0;         // stats.decoder.pkts
  uint64_t kernel_packets = 0;  // stats.capture.kernel_packets (live capture)
  uint64_t bytes_ipv4 = 0;      // stats.decoder.bytes_ipv4
  uint64_t bytes_ipv6 = 0;      // stats.decoder.bytes_ipv6
  uint64_t kernel_drops = 0;    // stats.capture.kernel_drops + kernel_ifdrops
  // Packets lost inside the agent for lack of memory or output: stats.tcp.ssn_memcap_drop +
  // tcp.segment_memcap_drop + defrag.memcap_drops + eve.write_errors.
  uint64_t internal_drops = 0;
  uint64_t flows = 0;           // stats.flow.total
  std::string ruleset_version;  // stats.agent.rules.version
  uint64_t rules_loaded = 0;
  uint64_t rules_failed = 0;
  bool has_forwarder = false;
  ForwarderHealth forward;
};

// Reads the heartbeat fields of a stats event (an EVE line) into `h`, leaving
// last_seen_us alone. False when the line is not a stats event with a "stats" object.
bool read_heartbeat(std::string_view stats_json, AgentHealth& h);

class AgentHealthBoard {
 public:
  // Any stored batch from the agent.
  void seen(const std::string& agent, int64_t now_us);
  // A stored stats event; its figures replace the previous heartbeat's.
  void heartbeat(const std::string& agent, const AgentHealth& figures, int64_t now_us);
  std::optional<AgentHealth> get(const std::string& agent) const;
  std::map<std::string, AgentHealth> snapshot() const;
  // For each agent without a heartbeat yet: its newest stored stats event;
  // last_seen is that event's time (capped at now). Store errors leave the
  // agent unprimed. Returns how many agents were primed.
  size_t prime(EventStore& store, const std::vector<AgentRecord>& agents, int64_t now_us);

 private:
  mutable std::mutex mu_;
  std::map<std::string, AgentHealth, std::less<>> agents_;
};

}  // namespace nsm4::collector
