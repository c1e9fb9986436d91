#include "engine/worker.h"

#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr size_t kFlushBytes = 64 * 1024;
constexpr uint64_t kPublishEvery = 4096;  // packets
}  // namespace

Worker::Worker(const WorkerConfig& cfg, EveSink& sink)
    : cfg_(cfg),
      sink_(sink),
      flows_(cfg.flow, [this](const Flow& f, FlowEndReason r) { on_flow_end(f, r); }) {
  out_.reserve(kFlushBytes * 2);
}

void Worker::process(const Packet& p) {
  ++stats_.packets;
  advance_time(p.ts);
  Flow* flow = nullptr;
  // Fragments are not flows: the datagram rebuilt from them is.
  if (!p.invalid && p.ip_version && !p.is_fragment) {
    bool toserver = true;
    flow = flows_.process(p, toserver);
  }
  // The tunnel itself (outer addresses, e.g. UDP to the VXLAN port) is a flow
  // too, as in Suricata.
  if (p.tunnel_depth && p.outer.ip_version) {
    bool toserver = true;
    flows_.process(outer_packet(p), toserver);
  }
  if (cfg_.log_decode_anomalies) {
    for (int i = 0; i < p.event_count; ++i) {
      format_decode_anomaly(out_, p, p.events[i], flow, cfg_.eve);
      ++out_events_;
      ++stats_.anomaly_events;
    }
  }
  flush_output(false);
  if (stats_.packets % kPublishEvery == 0) publish();
}

void Worker::advance_time(Timestamp now) {
  if (now.sec <= last_tick_sec_) return;
  last_tick_sec_ = now.sec;
  flows_.advance_time(now);
}

void Worker::finish(Timestamp now) {
  last_tick_sec_ = 0;
  flows_.advance_time(now);
  flows_.flush_all();
  flush_output(true);
  sink_.flush();
  publish();
}

void Worker::on_flow_end(const Flow& f, FlowEndReason reason) {
  if (!cfg_.log_flows) return;
  format_flow_event(out_, f, reason, cfg_.eve);
  ++out_events_;
  ++stats_.flow_events;
}

void Worker::flush_output(bool force) {
  if (out_.empty() || (!force && out_.size() < kFlushBytes)) return;
  sink_.write(out_, out_events_);
  out_.clear();
  out_events_ = 0;
}

void Worker::publish() {
  WorkerStats s = stats_;
  s.flow = flows_.stats();
  std::lock_guard lock(published_mu_);
  published_ = s;
}

WorkerStats Worker::snapshot() const {
  std::lock_guard lock(published_mu_);
  return published_;
}

}  // namespace nsm4
