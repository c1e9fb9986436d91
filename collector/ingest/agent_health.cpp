#include "ingest/agent_health.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ingest/eve_timestamp.h"

namespace nsm4::collector {

namespace {

using nlohmann::json;

const json* at_path(const json& root, std::initializer_list<const char*> path) {
  const json* node = &root;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

uint64_t count_at(const json& root, std::initializer_list<const char*> path) {
  const json* v = at_path(root, path);
  if (!v) return 0;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer()) return static_cast<uint64_t>(std::max<int64_t>(0, v->get<int64_t>()));
  return 0;
}

std::string text_at(const json& root, std::initializer_list<const char*> path) {
  const json* v = at_path(root, path);
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  return {};
}

}  // namespace

bool read_heartbeat(std::string_view stats_json, AgentHealth& h) {
  const json root = json::parse(stats_json, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return false;
  const json* type = at_path(root, {"event_type"});
  if (!type || !type->is_string() || type->get_ref<const std::string&>() != "stats") return false;
  const json* s = at_path(root, {"stats"});
  if (!s || !s->is_object()) return false;
  h.has_heartbeat = true;
  const json* ts = at_path(root, {"timestamp"});
  if (ts && ts->is_string()) {
    h.heartbeat_ts_us = parse_timestamp_us(ts->get_ref<const std::string&>()).value_or(0);
  }
  h.version = text_at(*s, {"agent", "version"});
  h.uptime_sec = static_cast<int64_t>(count_at(*s, {"uptime"}));
  h.packets = count_at(*s, {"decoder", "pkts"});
  h.kernel_packets = count_at(*s, {"capture", "kernel_packets"});
  h.bytes_ipv4 = count_at(*s, {"decoder", "bytes_ipv4"});
  h.bytes_ipv6 = count_at(*s, {"decoder", "bytes_ipv6"});
  h.kernel_drops =
      count_at(*s, {"capture", "kernel_drops"}) + count_at(*s, {"capture", "kernel_ifdrops"});
  h.internal_drops =
      count_at(*s, {"tcp", "ssn_memcap_drop"}) + count_at(*s, {"tcp", "segment_memcap_drop"}) +
      count_at(*s, {"defrag", "memcap_drops"}) + count_at(*s, {"eve", "write_errors"});
  h.flows = count_at(*s, {"flow", "total"});
  h.ruleset_version = text_at(*s, {"agent", "rules", "version"});
  h.rules_loaded = count_at(*s, {"agent", "rules", "loaded"});
  h.rules_failed = count_at(*s, {"agent", "rules", "failed"});
  const json* fwd = at_path(*s, {"forward"});
  h.has_forwarder = fwd && fwd->is_object();
  h.forward = {};
  if (h.has_forwarder) {
    h.forward.spool_batches = count_at(*fwd, {"spool_batches"});
    h.forward.spool_bytes = count_at(*fwd, {"spool_bytes"});
    h.forward.dropped_batches = count_at(*fwd, {"dropped_batches"});
    h.forward.dropped_events = count_at(*fwd, {"dropped_events"});
    h.forward.sent_batches = count_at(*fwd, {"sent_batches"});
    h.forward.retries = count_at(*fwd, {"retries"});
  }
  return true;
}

void AgentHealthBoard::seen(const std::string& agent, int64_t now_us) {
  std::lock_guard lock(mu_);
  auto& h = agents_[agent];
  h.last_seen_us = std::max(h.last_seen_us, now_us);
}

void AgentHealthBoard::heartbeat(const std::string& agent, const AgentHealth& figures,
                                 int64_t now_us) {
  std::lock_guard lock(mu_);
  auto& h = agents_[agent];
  const int64_t last_seen = std::max(h.last_seen_us, now_us);
  h = figures;
  h.last_seen_us = last_seen;
}

std::optional<AgentHealth> AgentHealthBoard::get(const std::string& agent) const {
  std::lock_guard lock(mu_);
  auto it = agents_.find(agent);
  if (it == agents_.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, AgentHealth> AgentHealthBoard::snapshot() const {
  std::lock_guard lock(mu_);
  return {agents_.begin(), agents_.end()};
}

size_t AgentHealthBoard::prime(EventStore& store, const std::vector<AgentRecord>& agents,
                               int64_t now_us) {
  size_t primed = 0;
  for (const auto& a : agents) {
    {
      std::lock_guard lock(mu_);
      auto it = agents_.find(a.name);
      if (it != agents_.end() && it->second.has_heartbeat) continue;
    }
    std::optional<EventRow> row;
    try {
      row = store.latest(a.name, "stats");
    } catch (const StoreError&) {
      continue;
    }
    if (!row) continue;
    AgentHealth h;
    if (!read_heartbeat(row->json, h)) continue;
    std::lock_guard lock(mu_);
    auto& cur = agents_[a.name];
    if (cur.has_heartbeat) continue;  // a live heartbeat arrived meanwhile
    h.last_seen_us = std::max(cur.last_seen_us, std::min(row->ts_us, now_us));
    cur = std::move(h);
    ++primed;
  }
  return primed;
}

}  // namespace nsm4::collector
