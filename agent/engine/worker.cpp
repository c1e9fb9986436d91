#include "engine/worker.h"

#include "decode/tunnel.h"

namespace nsm4 {

namespace {
constexpr size_t kFlushBytes = 64 * 1024;
constexpr uint64_t kPublishEvery = 4096;  // packets
}  // namespace

Worker::Worker(const WorkerConfig& cfg, EveSink& sink, const EngineSlot* rules)
    : cfg_(cfg),
      sink_(sink),
      rules_(rules),
      flows_(cfg.flow, [this](const Flow& f, FlowEndReason r) { on_flow_end(f, r); }) {
  out_.reserve(kFlushBytes * 2);
  if (cfg_.app.enabled) app_ = std::make_unique<app::AppLayer>(cfg_.app);
}

void Worker::process(const Packet& p) {
  ++stats_.packets;
  advance_time(p.ts);
  Flow* flow = nullptr;
  bool toserver = true;
  // Fragments are not flows: the datagram rebuilt from them is.
  if (!p.invalid && p.ip_version && !p.is_fragment) flow = flows_.process(p, toserver);
  // The tunnel itself (outer addresses, e.g. UDP to the VXLAN port) is a flow
  // too, as in Suricata.
  if (p.tunnel_depth && p.outer.ip_version) {
    bool toserver = true;
    flows_.process(outer_packet(p), toserver);
  }
  if (app_ && flow) app_->process(p, *flow, toserver);
  if (cfg_.log_decode_anomalies) {
    for (int i = 0; i < p.event_count; ++i) {
      format_decode_anomaly(out_, p, p.events[i], flow, cfg_.eve);
      ++out_events_;
      ++stats_.anomaly_events;
    }
  }
  if (rules_) detect(p, flow, toserver);
  if (app_ && flow) write_app_results(p, *flow);
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

void Worker::detect(const Packet& p, Flow* flow, bool toserver) {
  uint64_t v = rules_->version();
  if (v != rules_version_) {
    rules_version_ = v;
    if (detect_) {
      detect_->set_engine(rules_->get());
    } else {
      detect_ = std::make_unique<detect::DetectThread>(rules_->get(), &rules_->shared_thresholds());
    }
  }
  if (!detect_) return;
  detect_->inspect(p, flow, toserver, app_ && flow ? app_->stream_chunk() : nullptr);
  if (app_ && flow)
    for (const app::ChangedTx& c : app_->changed())
      detect_->inspect_tx(p, flow, toserver, flow->app_proto, *c.tx, c.tx->tx_id, *c.detect);
  for (const detect::Alert& a : detect_->alerts()) {
    const detect::CompiledRule& r = *a.rule;
    AlertFields f;
    f.gid = r.gid;
    f.sid = r.sid;
    f.rev = r.rev;
    f.signature = r.msg;
    f.category = r.category;
    f.severity = r.priority;
    f.metadata_json = r.metadata_json;
    f.tx_id = a.tx_id;
    std::string app_json;
    if (a.tx_id >= 0 && app_ && flow) {
      for (const app::ChangedTx& c : app_->changed())
        if (c.tx->tx_id == static_cast<uint64_t>(a.tx_id)) {
          app_json = c.parser->alert_metadata(*c.tx);
          break;
        }
      f.app_key = app::proto_name(flow->app_proto);
      f.app_json = app_json;
    }
    format_alert(out_, p, flow, toserver, f, cfg_.eve);
    ++out_events_;
    ++stats_.alert_events;
    if (flow) flow->alerted = true;
  }
}

void Worker::write_app_results(const Packet& p, const Flow& flow) {
  if (!cfg_.log_app) return;
  for (StreamEvent e : app_->stream_events()) {
    format_stream_anomaly(out_, p, flow, e, cfg_.eve);
    ++out_events_;
    ++stats_.anomaly_events;
  }
  for (const app::AppAnomaly& a : app_->anomalies()) {
    format_app_anomaly(out_, p, flow, a.proto, a.event, cfg_.eve);
    ++out_events_;
    ++stats_.anomaly_events;
  }
  for (const app::AppLog& log : app_->logs()) {
    format_app_log(out_, &p, flow, log, cfg_.eve);
    ++out_events_;
    ++stats_.app_events;
  }
}

void Worker::on_flow_end(const Flow& f, FlowEndReason reason) {
  if (app_) {
    app_->flow_end(f);
    if (cfg_.log_app)
      for (const app::AppLog& log : app_->logs()) {
        format_app_log(out_, nullptr, f, log, cfg_.eve);
        ++out_events_;
        ++stats_.app_events;
      }
  }
  bool passed = false;
  if (detect_) {
    passed = detect_->flow_passed(f.flow_id);
    detect_->flow_ended(f.flow_id);
  }
  if (!cfg_.log_flows) return;
  format_flow_event(out_, f, reason, cfg_.eve, passed ? "pass" : "");
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
  if (app_) s.app = app_->stats();
  std::lock_guard lock(published_mu_);
  published_ = s;
}

WorkerStats Worker::snapshot() const {
  std::lock_guard lock(published_mu_);
  return published_;
}

}  // namespace nsm4
