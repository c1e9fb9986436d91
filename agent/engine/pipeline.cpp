#include "engine/pipeline.h"

#include <pcap/pcap.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

namespace nsm4 {

namespace {

using Clock = std::chrono::steady_clock;

// Packets for one worker, with their bytes copied into an arena that never
// reallocates (Packet holds pointers into it).
struct Batch {
  static constexpr size_t kArenaBytes = 1 << 20;
  static constexpr size_t kMaxPackets = 256;
  std::unique_ptr<uint8_t[]> arena{new uint8_t[kArenaBytes]};
  size_t used = 0;
  std::vector<Packet> packets;
  bool finish = false;  // last batch: run Worker::finish(finish_ts)
  Timestamp finish_ts;
  bool tick = false;  // idle live capture: advance the worker's clock to tick_ts
  Timestamp tick_ts;

  Batch() { packets.reserve(kMaxPackets); }
  bool fits(size_t n) const { return packets.size() < kMaxPackets && used + n <= kArenaBytes; }
  void reset() {
    used = 0;
    packets.clear();
    finish = false;
    tick = false;
  }
};

// Moves every pointer of `p` from the buffer at `from` to the copy at `to`.
void rebase(Packet& p, const uint8_t* from, uint32_t len, const uint8_t* to) {
  auto fix = [&](const uint8_t*& ptr) {
    if (ptr && ptr >= from && ptr <= from + len) ptr = to + (ptr - from);
  };
  fix(p.data);
  fix(p.ip_hdr);
  fix(p.l4_hdr);
  fix(p.payload);
}

class BatchQueue {
 public:
  void push(std::unique_ptr<Batch> b) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kDepth; });
    q_.push_back(std::move(b));
    not_empty_.notify_one();
  }
  std::unique_ptr<Batch> pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty(); });
    auto b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return b;
  }

 private:
  static constexpr size_t kDepth = 8;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::unique_ptr<Batch>> q_;
};

// Recycled batches, shared by the reader and the workers.
class BatchPool {
 public:
  std::unique_ptr<Batch> get() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    auto b = std::move(free_.back());
    free_.pop_back();
    b->reset();
    return b;
  }
  void put(std::unique_ptr<Batch> b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<Batch>> free_;
};

}  // namespace

struct Pipeline::Impl {
  PipelineConfig cfg;
  EveSink& sink;
  const EngineSlot* rule_slot;
  DecodeContext decode;
  Defragmenter defrag;
  std::vector<std::unique_ptr<Worker>> workers;

  // Threaded mode only.
  std::vector<std::unique_ptr<BatchQueue>> queues;
  std::vector<std::unique_ptr<Batch>> open;  // batch being filled per worker
  std::vector<std::thread> threads;
  BatchPool pool;

  static constexpr int kMaxDefragRounds = 4;
  std::array<std::vector<uint8_t>, kMaxDefragRounds> reassembled;
  std::array<Packet, kMaxDefragRounds> rebuilt;

  Impl(const PipelineConfig& c, EveSink& s, const EngineSlot* rules)
      : cfg(c), sink(s), rule_slot(rules), decode(c.decode), defrag(c.defrag) {
    int n = cfg.workers < 1 ? 1 : cfg.workers;
    for (int i = 0; i < n; ++i)
      workers.push_back(std::make_unique<Worker>(cfg.worker, sink, rules));
    if (n > 1) {
      for (int i = 0; i < n; ++i) {
        queues.push_back(std::make_unique<BatchQueue>());
        open.push_back(pool.get());
      }
      for (int i = 0; i < n; ++i) threads.emplace_back([this, i] { worker_loop(i); });
    }
  }

  ~Impl() {
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }

  bool threaded() const { return workers.size() > 1; }

  void worker_loop(int i) {
    Worker& w = *workers[static_cast<size_t>(i)];
    for (;;) {
      auto b = queues[static_cast<size_t>(i)]->pop();
      for (const Packet& p : b->packets) w.process(p);
      if (b->tick) w.advance_time(b->tick_ts);
      bool done = b->finish;
      if (done) w.finish(b->finish_ts);
      pool.put(std::move(b));
      if (done) return;
    }
  }

  // Packets are sharded by their outermost IP address pair, in either
  // direction. Ports are left out on purpose: a tunnel (Teredo, VXLAN,
  // Geneve, GRE) and the flows inside it must meet in one worker even when
  // some of its packets do not decode as tunnel traffic or the two directions
  // use different outer ports.
  size_t shard_of(const Packet& p) const {
    if (!p.ip_version) return 0;
    bool tunnel = p.tunnel_depth && p.outer.ip_version;
    const IpAddr& a = tunnel ? p.outer.src : p.src;
    const IpAddr& b = tunnel ? p.outer.dst : p.dst;
    bool in_order = std::memcmp(a.bytes.data(), b.bytes.data(), 16) <= 0;
    const IpAddr& lo = in_order ? a : b;
    const IpAddr& hi = in_order ? b : a;
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (const IpAddr* ip : {&lo, &hi}) {
      for (int i = 0; i < 16; i += 8) {
        uint64_t w;
        std::memcpy(&w, ip->bytes.data() + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
      }
    }
    return static_cast<size_t>(h % workers.size());
  }

  // Hands a decoded packet (whose bytes live in [base, base+len)) to its worker.
  void dispatch(const Packet& p, const uint8_t* base, uint32_t len) {
    if (!threaded()) {
      workers[0]->process(p);
      return;
    }
    size_t i = shard_of(p);
    if (!open[i]->fits(len)) send(i);
    Batch& b = *open[i];
    uint8_t* dst = b.arena.get() + b.used;
    std::memcpy(dst, base, len);
    b.used += len;
    b.packets.push_back(p);
    rebase(b.packets.back(), base, len, dst);
  }

  void send(size_t i) {
    queues[i]->push(std::move(open[i]));
    open[i] = pool.get();
  }

  void finish(Timestamp last) {
    if (!threaded()) {
      workers[0]->finish(last);
      return;
    }
    for (size_t i = 0; i < workers.size(); ++i) {
      open[i]->finish = true;
      open[i]->finish_ts = last;
      send(i);
    }
    for (auto& t : threads) t.join();
    threads.clear();
  }

  // No packet for a while on a live interface: flows still time out.
  void idle_tick(Timestamp now) {
    defrag.advance_time(now);
    if (!threaded()) {
      workers[0]->advance_time(now);
      return;
    }
    for (size_t i = 0; i < workers.size(); ++i) {
      open[i]->tick = true;
      open[i]->tick_ts = now;
      send(i);
    }
  }

  void handle(Packet& p) {
    decode_packet(decode, p);
    dispatch(p, p.data, p.caplen);
    // A rebuilt datagram may itself be a fragment of an outer one (nested
    // fragmentation evasion): feed it back, a bounded number of times.
    Packet* frag = &p;
    for (int round = 0; round < kMaxDefragRounds; ++round) {
      if (!frag->is_fragment || frag->invalid) break;
      auto& out = reassembled[static_cast<size_t>(round)];
      if (!defrag.add(decode, *frag, out)) break;
      Packet& whole = rebuilt[static_cast<size_t>(round)];
      whole = Packet{};
      whole.pcap_cnt = p.pcap_cnt;
      whole.ts = p.ts;
      whole.datalink = p.datalink;
      whole.has_eth = p.has_eth;
      std::memcpy(whole.eth_src, p.eth_src, 6);
      std::memcpy(whole.eth_dst, p.eth_dst, 6);
      whole.vlan_count = p.vlan_count;
      whole.vlan = p.vlan;
      whole.tunnel_depth = frag->tunnel_depth;
      whole.outer = frag->outer;
      if (whole.tunnel_depth) whole.outer_hdr_len = static_cast<uint32_t>(p.ip_hdr - p.data);
      whole.reassembled = true;
      whole.data = out.data();
      whole.caplen = static_cast<uint32_t>(out.size());
      // Flow byte counts include the link header of the frames, as for
      // unfragmented packets.
      whole.wirelen = whole.caplen + static_cast<uint32_t>(p.ip_hdr - p.data);
      decode.depth = 0;
      decode.inner_mark = whole.tunnel_depth;
      decode_layer(decode, whole, frag->ip_version == 4 ? Layer::kIpv4 : Layer::kIpv6, out.data(),
                   whole.caplen);
      dispatch(whole, whole.data, whole.caplen);
      frag = &whole;
    }
  }

  AgentStats gather(const PacketSource& src) const {
    AgentStats s;
    s.capture = src.counters();
    s.decode = decode.stats();
    s.defrag = defrag.stats();
    for (const auto& w : workers) s.workers.merge(w->snapshot());
    s.eve_write_errors = sink.write_errors();
    s.agent = cfg.identity;
    if (rule_slot) {
      const detect::RuleSetLabel l = rule_slot->label();
      s.rules = RuleSetSummary{l.version, l.loaded, l.failed};
    }
    if (cfg.forward_stats) s.forward = cfg.forward_stats();
    return s;
  }

  void write_stats(const PacketSource& src, Timestamp now, int64_t uptime) {
    std::string line;
    format_stats_event(line, gather(src), now, uptime, src.live());
    sink.write(line, 1);
  }
};

Pipeline::Pipeline(const PipelineConfig& cfg, EveSink& sink, const EngineSlot* rules)
    : impl_(std::make_unique<Impl>(cfg, sink, rules)) {}
Pipeline::~Pipeline() = default;

RunResult Pipeline::run(PacketSource& src, const std::atomic<bool>& stop,
                        const ProgressFn& progress) {
  RunResult r;
  auto& im = *impl_;
  auto started = Clock::now();
  auto next_progress = started;
  uint64_t count = 0;
  Timestamp last{};
  int64_t next_stats_sec = 0;  // in packet time for files, wall time for live
  const int interval = im.cfg.stats_interval_sec;
  for (;;) {
    if (stop.load(std::memory_order_relaxed)) break;
    const pcap_pkthdr* hdr = nullptr;
    const uint8_t* data = nullptr;
    auto st = src.next(hdr, data);
    if (st == PacketSource::Next::kEnd) break;
    if (st == PacketSource::Next::kError) {
      // A truncated file ends the read with what was read so far.
      r.read_error = true;
      r.error = src.error();
      break;
    }
    if (st == PacketSource::Next::kTimeout && src.live()) {
      auto wall = std::chrono::system_clock::now().time_since_epoch();
      Timestamp now{std::chrono::duration_cast<std::chrono::seconds>(wall).count(), 0};
      if (now > last) {
        last = now;
        im.idle_tick(now);
      }
    }
    if (st == PacketSource::Next::kPacket) {
      Packet p;
      p.pcap_cnt = ++count;
      p.ts = {hdr->ts.tv_sec, static_cast<int32_t>(hdr->ts.tv_usec)};
      // Capture files may go back in time; flow time never does.
      if (p.ts < last) p.ts = last;
      p.data = data;
      p.caplen = hdr->caplen;
      p.wirelen = hdr->len;
      p.datalink = src.datalink();
      if (count == 1) r.first_ts = p.ts;
      last = p.ts;
      im.handle(p);
      if ((count & 0xfff) == 0) im.defrag.advance_time(p.ts);
    }
    if (interval > 0) {
      int64_t now_sec =
          src.live()
              ? std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()
              : last.sec;
      if (next_stats_sec == 0) next_stats_sec = now_sec + interval;
      if (now_sec >= next_stats_sec) {
        next_stats_sec = now_sec + interval;
        im.write_stats(
            src, last,
            std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count());
      }
    }
    if (progress && (count & 0x3ff) == 0) {
      auto now = Clock::now();
      if (now >= next_progress) {
        next_progress = now + std::chrono::milliseconds(500);
        progress(src, count);
      }
    }
  }
  im.finish(last);
  r.last_ts = last;
  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  r.stats = im.gather(src);
  std::string line;
  format_stats_event(line, r.stats, last, static_cast<int64_t>(r.seconds), src.live());
  im.sink.write(line, 1);
  im.sink.flush();
  return r;
}

}  // namespace nsm4
