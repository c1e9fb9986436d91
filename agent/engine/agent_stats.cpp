#include "engine/agent_stats.h"

#include <map>
#include <string_view>

#include "nsm4/common/json_writer.h"
#include "nsm4/common/time_format.h"

namespace nsm4 {

void WorkerStats::merge(const WorkerStats& o) {
  flow.merge(o.flow);
  anomaly_events += o.anomaly_events;
  alert_events += o.alert_events;
  flow_events += o.flow_events;
  app.merge(o.app);
  app_events += o.app_events;
  packets += o.packets;
}

namespace {

// stats.decoder.event.<layer>.<name>, non-zero counters only.
void write_decoder_events(JsonWriter& w, const DecodeStats& d) {
  std::map<std::string_view, std::map<std::string_view, uint64_t>> tree;
  for (size_t i = 0; i < kDecodeEventCount; ++i) {
    if (!d.events[i]) continue;
    auto name = decode_event_name(static_cast<DecodeEvent>(i));
    // "decoder.ipv4.trunc_pkt" -> layer "ipv4", counter "trunc_pkt".
    auto rest = name.substr(name.find('.') + 1);
    auto dot = rest.find('.');
    auto layer = dot == std::string_view::npos ? std::string_view("other") : rest.substr(0, dot);
    auto leaf = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
    tree[layer][leaf] += d.events[i];
  }
  w.key("event").begin_object();
  for (const auto& [layer, leaves] : tree) {
    w.key(layer).begin_object();
    for (const auto& [leaf, n] : leaves) w.kv(leaf, n);
    w.end_object();
  }
  w.end_object();
}

void write_agent(JsonWriter& w, const AgentStats& s) {
  w.key("agent").begin_object();
  w.kv("version", std::string_view(s.agent.version));
  w.kv("site", std::string_view(s.agent.site));
  w.kv("name", std::string_view(s.agent.name));
  w.key("rules").begin_object();
  w.kv("version", std::string_view(s.rules.version));
  w.kv("loaded", s.rules.loaded);
  w.kv("failed", s.rules.failed);
  w.end_object();
  w.end_object();
}

void write_forward(JsonWriter& w, const forward::ForwardStats& f) {
  w.key("forward").begin_object();
  w.kv("spool_batches", f.spool_batches);
  w.kv("spool_bytes", f.spool_bytes);
  w.kv("queued_batches", f.queued_batches);
  w.kv("dropped_batches", f.dropped_batches);
  w.kv("dropped_events", f.dropped_events);
  w.kv("sent_batches", f.sent_batches);
  w.kv("sent_events", f.sent_events);
  w.kv("retries", f.retries);
  w.kv("rejected_batches", f.rejected_batches);
  w.kv("rejected_lines", f.rejected_lines);
  w.kv("blocked_waits", f.blocked_waits);
  w.kv("partial_removed", f.partial_removed);
  w.kv("write_errors", f.write_errors);
  w.kv("last_error", std::string_view(f.last_error));
  w.end_object();
}

}  // namespace

void format_stats_event(std::string& out, const AgentStats& s, Timestamp now, int64_t uptime_sec,
                        bool live) {
  JsonWriter w(out);
  std::string ts;
  append_eve_timestamp(ts, now.sec, now.usec);
  w.begin_object();
  w.kv("timestamp", std::string_view(ts));
  w.kv("event_type", "stats");
  w.key("stats").begin_object();
  w.kv("uptime", uptime_sec);
  write_agent(w, s);
  if (live) {
    w.key("capture").begin_object();
    w.kv("kernel_packets", s.capture.kernel_packets);
    w.kv("kernel_drops", s.capture.kernel_drops);
    w.kv("kernel_ifdrops", s.capture.kernel_ifdrops);
    w.end_object();
  }
  const auto& d = s.decode;
  w.key("decoder").begin_object();
  w.kv("pkts", d.pkts);
  w.kv("bytes", d.bytes);
  w.kv("invalid", d.invalid);
  w.kv("ipv4", d.ipv4);
  w.kv("ipv6", d.ipv6);
  w.kv("bytes_ipv4", d.bytes_ipv4);
  w.kv("bytes_ipv6", d.bytes_ipv6);
  for (size_t i = 0; i < d.layers.size(); ++i) {
    auto l = static_cast<Layer>(i);
    if (l == Layer::kIpv4 || l == Layer::kIpv6) continue;  // counted above per packet
    w.kv(layer_name(l), d.layers[i]);
  }
  w.kv("too_many_layers", d.too_many_layers);
  write_decoder_events(w, d);
  w.end_object();
  const auto& f = s.workers.flow;
  w.key("flow").begin_object();
  w.kv("total", f.created);
  w.kv("tcp", f.created_tcp);
  w.kv("udp", f.created_udp);
  w.kv("icmp", f.created_icmp);
  w.kv("other", f.created_other);
  w.kv("active", f.active);
  w.kv("memuse", f.memuse);
  w.kv("emerg_evictions", f.emergency_evictions);
  w.kv("tcp_midstream_ignored", f.tcp_midstream_ignored);
  w.key("end").begin_object();
  w.kv("timeout", f.ended_timeout);
  w.kv("forced", f.ended_forced);
  w.kv("shutdown", f.ended_shutdown);
  w.end_object();
  w.end_object();
  const auto& df = s.defrag;
  w.key("defrag").begin_object();
  w.key("ipv4").begin_object();
  w.kv("fragments", df.ipv4_fragments);
  w.kv("reassembled", df.ipv4_reassembled);
  w.end_object();
  w.key("ipv6").begin_object();
  w.kv("fragments", df.ipv6_fragments);
  w.kv("reassembled", df.ipv6_reassembled);
  w.end_object();
  w.kv("overlaps", df.overlaps);
  w.kv("timeouts", df.timeouts);
  w.kv("memcap_drops", df.memcap_drops);
  w.kv("max_frag_hits", df.too_many);
  w.kv("tiny_first", df.tiny_first);
  w.end_object();
  const app::AppStats& a = s.workers.app;
  w.key("tcp").begin_object();
  w.kv("segments", a.stream.segments);
  w.kv("out_of_order", a.stream.out_of_order);
  w.kv("retransmissions", a.stream.retransmissions);
  w.kv("overlap", a.stream.overlaps);
  w.kv("overlap_diff_data", a.stream.overlap_diff);
  w.kv("reassembly_gap", a.stream.gaps);
  w.kv("depth_reached", a.stream.depth_reached);
  w.kv("segment_limit_drop", a.stream.segment_limit_drops);
  w.kv("segment_memcap_drop", a.stream.memcap_drops);
  w.kv("reassembly_memuse", a.memory);
  w.end_object();
  w.key("app_layer").begin_object();
  w.key("flow").begin_object();
  for (uint8_t i = 1; i < app::kProtoCount; ++i) w.kv(app::proto_name(i), a.flows[i]);
  w.end_object();
  w.kv("tx", a.txs);
  w.kv("parsed_bytes", a.parsed_bytes);
  w.kv("held_logs_limit", a.held_logs_limit_hits);
  w.kv("anomalies", a.events);
  w.end_object();
  w.key("eve").begin_object();
  w.kv("flow", s.workers.flow_events);
  w.kv("app", s.workers.app_events);
  w.kv("anomaly", s.workers.anomaly_events);
  w.kv("alert", s.workers.alert_events);
  w.kv("write_errors", s.eve_write_errors);
  w.end_object();
  if (s.forward) write_forward(w, *s.forward);
  w.end_object();
  w.end_object();
  out.push_back('\n');
}

}  // namespace nsm4
