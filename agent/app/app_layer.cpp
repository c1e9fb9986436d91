#include "app/app_layer.h"

#include <algorithm>
#include <deque>

#include "app/dns/dns_probe.h"
#include "app/http/http_parser.h"
#include "app/http/http_probe.h"
#include "app/tls/tls_probe.h"
#include "decode/tcp_seq.h"

namespace nsm4::app {

static_assert(kProtoCount <= 16, "Flow::app_proto and app_proto_orig are 4-bit fields");

namespace {

// A DNS message is a query toserver and an answer toclient (the QR bit):
// an answer seen toserver means the sides are the wrong way round.
bool dns_qr_fits(Dir dir, std::span<const uint8_t> msg) {
  return msg.size() > 2 && ((msg[2] & 0x80) != 0) == (dir == Dir::kToClient);
}

Probe dns_udp_probe(Dir dir, std::span<const uint8_t> data) {
  Probe r = dns::probe_udp(dir, data);
  return r == Probe::kMatch && !dns_qr_fits(dir, data) ? Probe::kNoMatch : r;
}

Probe dns_tcp_probe(Dir dir, std::span<const uint8_t> data) {
  Probe r = dns::probe_tcp(dir, data);
  return r == Probe::kMatch && !dns_qr_fits(dir, data.subspan(2)) ? Probe::kNoMatch : r;
}

}  // namespace

void AppStats::merge(const AppStats& o) {
  for (int i = 0; i < kProtoCount; ++i) flows[i] += o.flows[i];
  parsed_bytes += o.parsed_bytes;
  gaps += o.gaps;
  txs += o.txs;
  logs += o.logs;
  events += o.events;
  stream_events += o.stream_events;
  memory += o.memory;
  memory_peak += o.memory_peak;
  held_logs_limit_hits += o.held_logs_limit_hits;
  stream.merge(o.stream);
}

struct AppLayer::FlowApp {
  struct TxMeta {
    uint32_t revision = UINT32_MAX;
    detect::TxDetectState detect;
  };
  // Per-side arrays are indexed by the side as first seen ("physical"); the
  // flow's orientation (and the parser's Dir) is physical ^ flip, flip set
  // when detection found the first data came from the server.
  std::unique_ptr<TcpStream> stream[2];
  bool flip = false;
  std::unique_ptr<AppParser> parser;
  // The parser a protocol change replaced: kept until the worker is done
  // with this packet's results (changed transactions point into it).
  std::unique_ptr<AppParser> retired;
  uint8_t proto = kProtoUnknown;
  bool tcp = false;
  bool dns_port = false;  // either port is 53
  std::string pending[2];
  std::string raw_tail[2];  // the last bytes handed on, context for stream matching
  bool dir_failed[2] = {false, false};
  bool fin[2] = {false, false};
  uint32_t fin_seq[2] = {0, 0};
  bool eof_sent[2] = {false, false};
  // The highest ack the peer sent for each side's data (ack_seen once one came).
  uint32_t acked_to[2] = {0, 0};
  bool ack_seen[2] = {false, false};
  // Records waiting for the peer to ack the data that completed them: side
  // d's data up to need_seq[d] where need[d].
  struct HeldLog {
    AppLog log;
    bool need[2] = {false, false};
    uint32_t need_seq[2] = {0, 0};
  };
  std::deque<HeldLog> held_logs;
  std::unordered_map<uint64_t, TxMeta> txs;
};

// Hands one direction's reassembled bytes to the app layer.
class AppLayer::DirSink : public StreamSink {
 public:
  DirSink(AppLayer& al, FlowApp& fa, int dir) : al_(al), fa_(fa), dir_(dir) {}
  void data(const uint8_t* p, uint32_t len) override { al_.on_data(fa_, dir_, p, len); }
  void gap(uint32_t len) override {
    ++al_.stats_.gaps;
    al_.fed_[dir_] = true;
    if (fa_.parser) {
      fa_.parser->gap(static_cast<Dir>(dir_ ^ int{fa_.flip}), len);
    } else if (fa_.proto == kProtoUnknown) {
      // Detection cannot go on over a hole.
      fa_.dir_failed[dir_] = true;
      al_.detect_protocol(fa_, dir_);
    }
  }
  void event(StreamEvent e) override {
    ++al_.stats_.stream_events;
    al_.stream_events_.push_back(e);
  }

 private:
  AppLayer& al_;
  FlowApp& fa_;
  int dir_;
};

AppLayer::AppLayer(const AppConfig& cfg) : cfg_(cfg) {}
AppLayer::~AppLayer() = default;

void AppLayer::clear_results() {
  raw_new_.clear();
  has_chunk_ = false;
  changed_.clear();
  logs_.clear();
  anomalies_.clear();
  stream_events_.clear();
}

AppLayer::FlowApp* AppLayer::state_for(const Flow& f, bool create) {
  auto it = flows_.find(f.flow_id);
  if (it != flows_.end()) return it->second.get();
  if (!create) return nullptr;
  auto fa = std::make_unique<FlowApp>();
  fa->tcp = f.key.proto == 6;
  fa->dns_port = f.key.sport == 53 || f.key.dport == 53;
  FlowApp* raw = fa.get();
  flows_.emplace(f.flow_id, std::move(fa));
  return raw;
}

void AppLayer::process(const Packet& p, Flow& f, bool& toserver) {
  prune_after_use();
  clear_results();
  if (!cfg_.enabled) return;
  now_ = p.ts;
  cur_flow_ = &f;
  fed_[0] = fed_[1] = false;
  swapped_ = false;
  struct SwapBack {
    AppLayer& al;
    bool& toserver;
    ~SwapBack() {
      if (al.swapped_) toserver = !toserver;
    }
  } swap_back{*this, toserver};
  const int dir = toserver ? 0 : 1;
  if (p.l4 == Layer::kTcp) {
    if (!f.tcp_tracked) return;
    FlowApp* fa = state_for(f, p.payload_len > 0);
    if (!fa) return;
    process_tcp(p, f, *fa, dir);
    collect(*fa, false);
    if (fa->parser && fa->proto == kProtoHttp && http::protocol_change_requested(*fa->parser)) {
      change_protocol(*fa);
      collect(*fa, false);
    }
    last_ = fa;
  } else if (p.l4 == Layer::kUdp && p.payload_len) {
    if (f.app_proto == kProtoFailed) return;
    bool candidate = cfg_.dns && (f.key.sport == 53 || f.key.dport == 53);
    if (!candidate && f.app_proto == kProtoUnknown) {
      fail_detection(nullptr);
      return;
    }
    FlowApp* fa = state_for(f, true);
    process_udp(p, f, *fa, dir);
    collect(*fa, false);
    last_ = fa;
  }
}

void AppLayer::process_tcp(const Packet& p, Flow& f, FlowApp& fa, int dir) {
  const uint8_t flags = p.tcp_flags;
  for (int d = 0; d < 2; ++d)
    if (!fa.stream[d])
      fa.stream[d] = std::make_unique<TcpStream>(cfg_.stream, stream_mem_, stats_.stream);
  const int ph = dir ^ int { fa.flip };  // this packet's side
  TcpStream& s = *fa.stream[ph];
  if (!s.started()) {
    // Start after the SYN when this side's SYN was seen; otherwise (picked
    // up midstream, one side's handshake missed) at the first segment.
    // A session picked up at its SYN/ACK knows the client's ISN from the ack.
    const bool server_syn = f.toclient.tcp_flags & kTcpSyn;
    const bool isn_known =
        dir == 0 ? (f.toserver.tcp_flags & kTcpSyn) || (server_syn && (f.tcp_bits & kTcpMidstream))
                 : server_syn;
    if (isn_known) s.start((dir == 0 ? f.client_isn : f.server_isn) + 1);
  }
  DirSink sink(*this, fa, ph);
  raw_side_ = ph;
  const uint32_t data_seq = p.tcp_seq + ((flags & kTcpSyn) ? 1u : 0u);
  // Data on a RST is not part of the stream (the receiver drops the
  // connection): it is inspected as a packet only.
  if (p.payload_len && !(flags & kTcpRst)) s.add(data_seq, p.payload, p.payload_len, sink);
  if (flags & kTcpFin) {
    fa.fin[ph] = true;
    fa.fin_seq[ph] = data_seq + p.payload_len;
  }
  const int o = 1 - ph;
  if ((flags & kTcpAck) && fa.stream[o]->started()) {
    // The FIN occupies a sequence number without data: an ack of it is no gap.
    uint32_t ack = p.tcp_ack;
    if (fa.fin[o] && seq_before(fa.fin_seq[o], ack)) ack = fa.fin_seq[o];
    DirSink other(*this, fa, o);
    fa.stream[o]->acked(ack, other);
  }
  if ((flags & kTcpAck) && (!fa.ack_seen[o] || seq_before(fa.acked_to[o], p.tcp_ack))) {
    fa.acked_to[o] = p.tcp_ack;
    fa.ack_seen[o] = true;
  }
  if (flags & kTcpRst) {
    for (int d = 0; d < 2; ++d) {
      DirSink ds(*this, fa, d);
      fa.stream[d]->close(ds);
      fa.fin[d] = true;
      fa.fin_seq[d] = fa.stream[d]->next_seq();
    }
  }
  raw_side_ = -1;
  if (!raw_new_.empty()) {
    // This packet's side: the context kept from before, then the new bytes.
    std::string& tail = fa.raw_tail[ph];
    raw_chunk_.assign(tail);
    raw_chunk_.append(raw_new_);
    chunk_ = {reinterpret_cast<const uint8_t*>(raw_chunk_.data()),
              static_cast<uint32_t>(raw_chunk_.size()), static_cast<uint32_t>(tail.size())};
    const size_t keep = std::min<size_t>(raw_chunk_.size(), cfg_.stream_context);
    tail.assign(raw_chunk_, raw_chunk_.size() - keep, keep);
    has_chunk_ = true;
  }
  for (int d = 0; d < 2; ++d) {
    if (fa.fin[d] && !fa.eof_sent[d] && fa.stream[d]->next_seq() == fa.fin_seq[d]) {
      fa.eof_sent[d] = true;
      DirSink ds(*this, fa, d);
      fa.stream[d]->close(ds);
      if (fa.parser) fa.parser->eof(static_cast<Dir>(d ^ int{fa.flip}));
    }
  }
}

void AppLayer::process_udp(const Packet& p, Flow& f, FlowApp& fa, int dir) {
  (void)f;
  const int ph = dir ^ int { fa.flip };
  if (!fa.parser && fa.proto == kProtoUnknown) {
    std::span<const uint8_t> data(p.payload, p.payload_len);
    if (dns_udp_probe(static_cast<Dir>(dir), data) == Probe::kMatch) {
      start_parser(fa, kProtoDns);
    } else if (dns_udp_probe(static_cast<Dir>(1 - dir), data) == Probe::kMatch) {
      // The first datagram is an answer: the flow's sides were taken the
      // wrong way round.
      swap_sides(fa);
      start_parser(fa, kProtoDns);
    } else {
      fail_detection(&fa);
    }
  }
  if (!fa.parser) return;
  stats_.parsed_bytes += p.payload_len;
  fa.parser->parse(static_cast<Dir>(ph ^ int{fa.flip}), {p.payload, p.payload_len}, now_);
}

void AppLayer::fail_detection(FlowApp* fa) {
  if (fa) fa->proto = kProtoFailed;
  if (cur_flow_) cur_flow_->app_proto = kProtoFailed;
  ++stats_.flows[kProtoFailed];
}

void AppLayer::swap_sides(FlowApp& fa) {
  if (!cur_flow_) return;
  swap_direction(*cur_flow_);
  fa.flip = !fa.flip;
  swapped_ = !swapped_;
}

void AppLayer::on_data(FlowApp& fa, int ph, const uint8_t* data, uint32_t len) {
  stats_.parsed_bytes += len;
  fed_[ph] = true;
  if (ph == raw_side_) raw_new_.append(reinterpret_cast<const char*>(data), len);
  if (fa.parser) {
    fa.parser->parse(static_cast<Dir>(ph ^ int{fa.flip}), {data, len}, now_);
    return;
  }
  if (fa.proto != kProtoUnknown) return;
  std::string& buf = fa.pending[ph];
  size_t room = cfg_.probe_limit > buf.size() ? cfg_.probe_limit - buf.size() : 0;
  buf.append(reinterpret_cast<const char*>(data), std::min<size_t>(len, room));
  detect_protocol(fa, ph);
}

// The protocol whose probe matches `data` as sent in direction `d`, or
// kProtoUnknown; `more` is set when a probe needs more bytes to tell.
uint8_t AppLayer::probe_all(const FlowApp& fa, Dir d, std::span<const uint8_t> data,
                            bool& more) const {
  struct Candidate {
    bool enabled;
    uint8_t proto;
    Probe (*probe)(Dir, std::span<const uint8_t>);
  };
  const Candidate candidates[] = {
      {cfg_.http, kProtoHttp, http::probe},
      {cfg_.tls, kProtoTls, tls::probe},
      {cfg_.dns && fa.dns_port, kProtoDns, dns_tcp_probe},
  };
  for (const Candidate& c : candidates) {
    if (!c.enabled) continue;
    Probe r = c.probe(d, data);
    if (r == Probe::kMatch) return c.proto;
    if (r == Probe::kNeedMore) more = true;
  }
  return kProtoUnknown;
}

void AppLayer::detect_protocol(FlowApp& fa, int ph) {
  if (fa.proto != kProtoUnknown) return;
  const std::string& buf = fa.pending[ph];
  if (!fa.dir_failed[ph] && !buf.empty()) {
    std::span<const uint8_t> data(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
    const int logical = ph ^ int { fa.flip };
    bool more = false;
    uint8_t proto = probe_all(fa, static_cast<Dir>(logical), data, more);
    if (!proto && !more && cur_flow_ && (cur_flow_->tcp_bits & kTcpMidstream) &&
        fa.pending[1 - ph].empty()) {
      // Picked up midstream and the first bytes are the server's: the
      // flow's sides were taken the wrong way round.
      bool more_rev = false;
      proto = probe_all(fa, static_cast<Dir>(1 - logical), data, more_rev);
      if (proto) swap_sides(fa);
    }
    if (proto) {
      start_parser(fa, proto);
      return;
    }
    if (!more || buf.size() >= cfg_.probe_limit) fa.dir_failed[ph] = true;
  }
  if (fa.dir_failed[0] && fa.dir_failed[1]) {
    fail_detection(&fa);
    fa.pending[0].clear();
    fa.pending[0].shrink_to_fit();
    fa.pending[1].clear();
    fa.pending[1].shrink_to_fit();
  }
}

void AppLayer::start_parser(FlowApp& fa, uint8_t proto) {
  switch (proto) {
    case kProtoHttp:
      fa.parser = http::make_parser(cfg_.http_cfg);
      break;
    case kProtoTls:
      fa.parser = tls::make_parser(cfg_.tls_cfg);
      break;
    case kProtoDns:
      fa.parser = fa.tcp ? dns::make_tcp_parser(cfg_.dns_cfg) : dns::make_udp_parser(cfg_.dns_cfg);
      break;
    default:
      return;
  }
  fa.proto = proto;
  if (cur_flow_) cur_flow_->app_proto = proto;
  ++stats_.flows[proto];
  // The client's bytes first.
  for (int logical = 0; logical < 2; ++logical) {
    const int d = logical ^ int { fa.flip };
    std::string bytes = std::move(fa.pending[d]);
    fa.pending[d].clear();
    if (!bytes.empty())
      fa.parser->parse(static_cast<Dir>(logical),
                       {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, now_);
  }
}

// Suricata's protocol change (after a CONNECT answered 2xx): the HTTP
// parser is done, the bytes that follow go through protocol detection again
// and the new protocol's parser numbers its transactions from 0.
void AppLayer::change_protocol(FlowApp& fa) {
  std::string rest[2];
  for (int logical = 0; logical < 2; ++logical)
    rest[logical ^ int{fa.flip}] = http::take_tunnel_bytes(*fa.parser, static_cast<Dir>(logical));
  const size_t before = logs_.size();
  fa.parser->take_logs(logs_, true);
  stats_.logs += logs_.size() - before;
  if (cur_flow_) cur_flow_->app_proto_orig = fa.proto;
  fa.retired = std::move(fa.parser);
  fa.txs.clear();
  fa.proto = kProtoUnknown;
  for (int d = 0; d < 2; ++d) {
    fa.dir_failed[d] = false;
    fa.pending[d] = std::move(rest[d]);
    if (fa.pending[d].size() > cfg_.probe_limit) fa.pending[d].resize(cfg_.probe_limit);
  }
  for (int d = 0; d < 2 && fa.proto == kProtoUnknown; ++d)
    if (!fa.pending[d].empty()) detect_protocol(fa, d);
}

void AppLayer::collect(FlowApp& fa, bool flow_end) {
  if (!fa.parser) return;
  AppParser& parser = *fa.parser;
  // Transactions gone since the last call take their detection state along.
  uint64_t oldest = parser.tx_count() ? parser.tx_at(0).tx_id : UINT64_MAX;
  std::erase_if(fa.txs, [&](const auto& kv) { return kv.first < oldest; });
  // Events first: a transaction that got one is inspected again
  // (app-layer-event rules).
  scratch_events_.clear();
  parser.take_events(scratch_events_);
  for (const AppEvent& e : scratch_events_) {
    anomalies_.push_back({e, fa.proto});
    if (e.tx_id < oldest) continue;
    auto& meta = fa.txs[e.tx_id];
    std::string name(e.name);
    for (char& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    meta.detect.events.push_back(std::move(name));
    meta.revision = UINT32_MAX;
  }
  stats_.events += scratch_events_.size();
  for (size_t i = 0; i < parser.tx_count(); ++i) {
    AppTx& tx = parser.tx_at(i);
    auto [it, fresh] = fa.txs.try_emplace(tx.tx_id);
    if (fresh) ++stats_.txs;
    if (it->second.revision == tx.revision) continue;
    it->second.revision = tx.revision;
    if (!flow_end) changed_.push_back({&tx, &it->second.detect, &parser});
  }
  scratch_logs_.clear();
  parser.take_logs(scratch_logs_, flow_end);
  stats_.logs += scratch_logs_.size();
  add_logs(fa, scratch_logs_, flow_end);
}

void AppLayer::release_logs(FlowApp& fa, bool all) {
  auto acked = [&fa](const FlowApp::HeldLog& h) {
    for (int d = 0; d < 2; ++d)
      if (h.need[d] && seq_before(fa.acked_to[d], h.need_seq[d])) return false;
    return true;
  };
  while (!fa.held_logs.empty() && (all || acked(fa.held_logs.front()))) {
    logs_.push_back(std::move(fa.held_logs.front().log));
    fa.held_logs.pop_front();
  }
}

void AppLayer::add_logs(FlowApp& fa, std::vector<AppLog>& fresh, bool flow_end) {
  release_logs(fa, flow_end);
  // The data of this call that the peer has not acked yet. A side whose
  // peer sent nothing at all (a one-sided capture) is not waited for.
  FlowApp::HeldLog wait;
  bool must_wait = false;
  for (int d = 0; d < 2 && fa.tcp && !flow_end && cur_flow_; ++d) {
    if (!fed_[d] || !fa.stream[d]) continue;
    const bool peer_toserver = ((1 - d) ^ int{fa.flip}) == 0;
    if ((peer_toserver ? cur_flow_->toserver : cur_flow_->toclient).pkts == 0) continue;
    const uint32_t end = fa.stream[d]->next_seq();
    if (fa.ack_seen[d] && !seq_before(fa.acked_to[d], end)) continue;
    wait.need[d] = true;
    wait.need_seq[d] = end;
    must_wait = true;
  }
  for (AppLog& log : fresh) {
    if (!must_wait && fa.held_logs.empty()) {
      logs_.push_back(std::move(log));
      continue;
    }
    if (fa.held_logs.size() >= cfg_.held_logs_limit) {
      ++stats_.held_logs_limit_hits;
      logs_.push_back(std::move(fa.held_logs.front().log));
      fa.held_logs.pop_front();
    }
    FlowApp::HeldLog& h = fa.held_logs.emplace_back(wait);
    h.log = std::move(log);
  }
}

void AppLayer::prune_after_use() {
  if (!last_) return;
  last_->retired.reset();
  if (last_->parser) last_->parser->prune();
  last_ = nullptr;
}

void AppLayer::flow_end(const Flow& f) {
  prune_after_use();
  clear_results();
  auto it = flows_.find(f.flow_id);
  if (it == flows_.end()) return;
  FlowApp& fa = *it->second;
  cur_flow_ = nullptr;
  now_ = f.last_seen;
  for (int d = 0; d < 2; ++d) {
    if (!fa.stream[d]) continue;
    DirSink sink(*this, fa, d);
    fa.stream[d]->close(sink);
  }
  if (fa.parser) {
    for (int d = 0; d < 2; ++d)
      if (!fa.eof_sent[d]) fa.parser->eof(static_cast<Dir>(d ^ int{fa.flip}));
    collect(fa, true);
  }
  if (last_ == &fa) last_ = nullptr;
  flows_.erase(it);
}

AppStats AppLayer::stats() const {
  AppStats s = stats_;
  s.memory = stream_mem_.used;
  for (const auto& [id, fa] : flows_) {
    if (fa->parser) s.memory += fa->parser->memory();
    s.memory += fa->pending[0].capacity() + fa->pending[1].capacity();
    for (const auto& h : fa->held_logs) s.memory += sizeof(h) + h.log.body.capacity();
  }
  s.memory_peak = stream_mem_.peak;
  return s;
}

}  // namespace nsm4::app
