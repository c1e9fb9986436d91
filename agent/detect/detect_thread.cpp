#include "detect/detect_thread.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "flow/flow.h"

namespace nsm4::detect {

namespace {

bool addr_in(const rules::AddressSet& s, const IpAddr& a) {
  if (a.version == 4) {
    uint32_t v = (uint32_t{a.bytes[0]} << 24) | (uint32_t{a.bytes[1]} << 16) |
                 (uint32_t{a.bytes[2]} << 8) | a.bytes[3];
    return s.contains_v4(v);
  }
  return s.contains_v6(a.bytes.data());
}

}  // namespace

DetectThread::DetectThread(std::shared_ptr<const Engine> engine, ThresholdTable* shared)
    : hs_scratch_(empty_prefilter_scratch()), pcre_(make_pcre_scratch()), shared_(shared) {
  st_.pcre = pcre_.get();
  set_engine(std::move(engine));
  candidates_.reserve(1024);
  hits_.reserve(1024);
  alerts_.reserve(kMaxAlertsPerPacket);
}

DetectThread::~DetectThread() = default;

void DetectThread::set_engine(std::shared_ptr<const Engine> engine) {
  engine_ = std::move(engine);
  ++engine_version_;
  hs_scratch_ = empty_prefilter_scratch();
  if (engine_)
    for (const Prefilter* pf : engine_->prefilters()) pf->prepare(hs_scratch_);
}

bool DetectThread::header_matches(const CompiledRule& r, const Packet& p) const {
  if (r.ip_version && p.ip_version != r.ip_version) return false;
  if (r.proto_a && p.ip_proto != r.proto_a && p.ip_proto != r.proto_b) return false;
  if (r.need_ports && !p.has_ports()) return false;
  auto one_way = [&](const IpAddr& s, const IpAddr& d, uint16_t sp, uint16_t dp) {
    if (!r.src_any && !addr_in(r.src, s)) return false;
    if (!r.dst_any && !addr_in(r.dst, d)) return false;
    if (p.has_ports()) {
      if (!r.sport_any && !r.sport.contains(sp)) return false;
      if (!r.dport_any && !r.dport.contains(dp)) return false;
    } else if (!r.sport_any || !r.dport_any) {
      return false;
    }
    return true;
  };
  if (one_way(p.src, p.dst, p.sport, p.dport)) return true;
  return r.bidirectional && one_way(p.dst, p.src, p.dport, p.sport);
}

bool DetectThread::rule_matches(const CompiledRule& r, const PacketCtx& c) {
  if (!header_matches(r, c.p)) return false;
  if (r.app_proto && (!c.flow || c.flow->app_proto != r.app_proto)) return false;
  for (const auto& m : r.matchers)
    if (!m->match(c)) return false;
  for (const BufferProgram& prog : r.programs) {
    BufferView b = pkt_override_ && prog.buffer == BufferId::kPktData
                       ? *pkt_override_
                       : buffer_def(prog.buffer).get(c.p, c.flow);
    if (!b.present) return false;
    if (!inspect_program(prog, b)) return false;
  }
  return true;
}

bool DetectThread::stream_matches(const CompiledRule& r, const PacketCtx& c, const StreamChunk& s) {
  struct Restore {
    const BufferView*& slot;
    ~Restore() { slot = nullptr; }
  } restore{pkt_override_};
  BufferView all{s.data, s.len, true};
  pkt_override_ = &all;
  if (!rule_matches(r, c)) return false;
  if (s.context == 0) return true;
  // A match inside the context alone was found when those bytes were new.
  BufferView old{s.data, s.context, true};
  pkt_override_ = &old;
  return !rule_matches(r, c);
}

void DetectThread::prefilter(const ProtoGroups& pg, const RuleGroup* port_group,
                             const uint8_t* data, uint32_t len) {
  for (const RuleGroup* g : {&pg.any_port, port_group}) {
    if (!g || !g->prefilter || !len) continue;
    scan_rules(*g->prefilter, g->pattern_rules, data, len);
  }
}

void DetectThread::scan_rules(const Prefilter& pf,
                              const std::vector<std::vector<uint32_t>>& pattern_rules,
                              const uint8_t* data, uint32_t len) {
  size_t first = hits_.size();
  pf.scan(data, len, *hs_scratch_, hits_);
  // Pattern ids -> rule ids, in place after the pattern ids.
  size_t n = hits_.size();
  for (size_t i = first; i < n; ++i) {
    const auto& rl = pattern_rules[hits_[i]];
    hits_.insert(hits_.end(), rl.begin(), rl.end());
  }
  hits_.erase(hits_.begin() + static_cast<std::ptrdiff_t>(first),
              hits_.begin() + static_cast<std::ptrdiff_t>(n));
}

bool DetectThread::inspect_program(const BufferProgram& prog, BufferView b) {
  if (!prog.transforms.empty()) {
    std::string_view in(reinterpret_cast<const char*>(b.data), b.len);
    for (const auto& t : prog.transforms) {
      std::string& out = xform_[(&t - prog.transforms.data()) & 1];
      out.clear();
      if (!t->try_apply(in, out)) return false;
      in = out;
    }
    b.data = reinterpret_cast<const uint8_t*>(in.data());
    b.len = static_cast<uint32_t>(in.size());
  }
  return inspect_buffer(prog, b.data, b.len, st_);
}

bool DetectThread::threshold_allows(const CompiledRule& r, const ThresholdSpec& t, const Packet& p,
                                    const Flow* f) {
  ThresholdTable& table =
      ThresholdTable::per_worker(t.track) || !shared_ ? local_thresholds_ : *shared_;
  return table.allow(r.gid, r.sid, t, p, f ? f->flow_id : 0);
}

void DetectThread::inspect(const Packet& p, Flow* flow, bool toserver,
                           const StreamChunk* stream_chunk) {
  alerts_.clear();
  if (!engine_ || !p.ip_version || p.invalid) return;
  FlowDetectState* fs = nullptr;
  if (flow && !flow_states_.empty()) {
    auto it = flow_states_.find(flow->flow_id);
    if (it != flow_states_.end()) fs = &it->second;
  }
  if (fs && fs->pass) return;
  const Engine& eng = *engine_;
  const ProtoGroups& pg = eng.groups_for(p.ip_proto);
  const RuleGroup* port_group = p.has_ports() ? pg.for_port(p.dport) : nullptr;
  // Candidates in rule order: the groups' always-lists (each sorted) merged
  // with the few rules whose fast pattern the prefilter found.
  hits_.clear();
  // The stream chunk ends with the packet's payload when the packet came in
  // order: scanning it finds the payload's patterns too.
  const bool stream = stream_chunk && stream_chunk->len > stream_chunk->context;
  const bool payload_in_chunk =
      stream && stream_chunk->len - stream_chunk->context == p.payload_len &&
      std::memcmp(stream_chunk->data + stream_chunk->context, p.payload, p.payload_len) == 0;
  if (stream) prefilter(pg, port_group, stream_chunk->data, stream_chunk->len);
  if (!payload_in_chunk) prefilter(pg, port_group, p.payload, p.payload_len);
  for (const RuleGroup* g : {&pg.any_port, port_group}) {
    if (!g) continue;
    g->by_src.lookup(p.src, hits_);
    g->by_dst.lookup(p.dst, hits_);
  }
  std::sort(hits_.begin(), hits_.end());
  const std::vector<uint32_t>& a = pg.any_port.always;
  candidates_.clear();
  if (port_group && !port_group->always.empty()) {
    const std::vector<uint32_t>& b = port_group->always;
    merged_.clear();
    std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(merged_));
    std::merge(merged_.begin(), merged_.end(), hits_.begin(), hits_.end(),
               std::back_inserter(candidates_));
  } else {
    std::merge(a.begin(), a.end(), hits_.begin(), hits_.end(), std::back_inserter(candidates_));
  }
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  const auto& rules = eng.rules();
  for (uint32_t idx : candidates_) {
    const CompiledRule& r = rules[idx];
    PacketCtx c{p, flow, toserver, fs};
    bool matched = r.stream_mode != StreamMode::kStreamOnly && rule_matches(r, c);
    if (!matched && stream && r.stream_capable) matched = stream_matches(r, c, *stream_chunk);
    if (!matched) continue;
    Verdict v = on_match(r, p, flow, fs);
    if (v == Verdict::kPass) return;
    if (v == Verdict::kSilent) continue;
    if (alerts_.size() < kMaxAlertsPerPacket) alerts_.push_back({&r});
  }
}

FlowDetectState* DetectThread::flow_state(const Flow* flow) {
  if (!flow || flow_states_.empty()) return nullptr;
  auto it = flow_states_.find(flow->flow_id);
  return it == flow_states_.end() ? nullptr : &it->second;
}

DetectThread::Verdict DetectThread::on_match(const CompiledRule& r, const Packet& p, Flow* flow,
                                             FlowDetectState*& fs) {
  if (!r.flowbit_actions.empty() && flow) {
    if (!fs) fs = &flow_states_[flow->flow_id];
    for (const FlowbitAction& a : r.flowbit_actions) {
      for (uint32_t b : a.bits) {
        switch (a.kind) {
          case FlowbitAction::kSet:
            fs->set(b, true);
            break;
          case FlowbitAction::kUnset:
            fs->set(b, false);
            break;
          case FlowbitAction::kToggle:
            fs->set(b, !fs->isset(b));
            break;
        }
      }
    }
  }
  if (r.has_detection_filter && !threshold_allows(r, r.detection_filter, p, flow))
    return Verdict::kSilent;
  if (r.has_threshold && !threshold_allows(r, r.threshold, p, flow)) return Verdict::kSilent;
  if (r.action == rules::Action::kPass) {
    // Pass: nothing more on this packet, and the flow is not inspected again.
    if (flow) {
      if (!fs) fs = &flow_states_[flow->flow_id];
      fs->pass = true;
    }
    return Verdict::kPass;
  }
  return r.noalert ? Verdict::kSilent : Verdict::kAlert;
}

bool DetectThread::tx_rule_matches(const CompiledRule& r, const PacketCtx& c,
                                   const BufferSource& tx, const TxDetectState& ts) {
  const int dir = c.toserver ? 0 : 1;
  if (r.tx_both) {
    // Buffers of both sides: inspected on the response side, the header
    // checked as the request went (client to server).
    if (c.toserver) return false;
    Packet rev = c.p;
    std::swap(rev.src, rev.dst);
    std::swap(rev.sport, rev.dport);
    if (!header_matches(r, rev)) return false;
  } else {
    if (!(r.tx_dirs & (1u << dir))) return false;
    if (!header_matches(r, c.p)) return false;
  }
  for (const auto& m : r.matchers)
    if (!m->match(c)) return false;
  for (const std::string& e : r.tx_events)
    if (std::find(ts.events.begin(), ts.events.end(), e) == ts.events.end()) return false;
  for (const TxIntCheck& t : r.tx_ints) {
    int64_t v = 0;
    int d = t.dirs == 1 ? 0 : t.dirs == 2 ? 1 : dir;
    if (!tx.get_int(t.field, d, v)) return false;
    if (t.cmp.matches(static_cast<uint64_t>(v)) == t.negated) return false;
  }
  for (const BufferProgram& prog : r.programs) {
    const BufferDef& b = buffer_def(prog.buffer);
    if (!b.is_app()) {
      BufferView v = b.get(c.p, c.flow);
      if (!v.present || !inspect_program(prog, v)) return false;
      continue;
    }
    int d = b.dirs == 1 ? 0 : b.dirs == 2 ? 1 : dir;
    bool any = false;
    for (uint32_t i = 0;; ++i) {
      BufferView v = tx.get(prog.buffer, d, i);
      if (!v.present) break;
      if (inspect_program(prog, v)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

void DetectThread::inspect_tx(const Packet& p, Flow* flow, bool toserver, uint8_t app_proto,
                              const BufferSource& tx, uint64_t tx_id, TxDetectState& ts) {
  if (!engine_ || !flow) return;
  if (ts.engine_version != engine_version_) {
    ts.matched.clear();
    ts.engine_version = engine_version_;
  }
  FlowDetectState* fs = flow_state(flow);
  if (fs && fs->pass) return;
  const auto& rules = engine_->rules();
  // Candidates: the rules without a fast pattern, and those whose fast
  // pattern is in one of the transaction's buffers.
  const TxGroup& grp = engine_->tx_group(app_proto);
  const int dir = toserver ? 0 : 1;
  hits_.clear();
  for (const TxBufferGroup& bg : grp.buffers) {
    const BufferDef& b = buffer_def(bg.buffer);
    // A one-sided buffer of the other direction matters only to rules that
    // inspect both sides of the transaction.
    if (b.dirs != 3 && !(b.dirs & (1u << dir)) && !bg.any_both) continue;
    const int d = b.dirs == 1 ? 0 : b.dirs == 2 ? 1 : dir;
    for (uint32_t i = 0;; ++i) {
      BufferView v = tx.get(bg.buffer, d, i);
      if (!v.present) break;
      if (v.len) scan_rules(*bg.prefilter, bg.pattern_rules, v.data, v.len);
    }
  }
  std::sort(hits_.begin(), hits_.end());
  candidates_.clear();
  std::merge(grp.always.begin(), grp.always.end(), hits_.begin(), hits_.end(),
             std::back_inserter(candidates_));
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
  for (uint32_t idx : candidates_) {
    if (std::binary_search(ts.matched.begin(), ts.matched.end(), idx)) continue;
    const CompiledRule& r = rules[idx];
    PacketCtx c{p, flow, toserver, fs};
    if (!tx_rule_matches(r, c, tx, ts)) continue;
    ts.matched.insert(std::upper_bound(ts.matched.begin(), ts.matched.end(), idx), idx);
    Verdict v = on_match(r, p, flow, fs);
    if (v == Verdict::kPass) return;
    if (v == Verdict::kSilent) continue;
    if (alerts_.size() < kMaxAlertsPerPacket) alerts_.push_back({&r, static_cast<int64_t>(tx_id)});
  }
}

}  // namespace nsm4::detect
