#include "reassembly/tcp_stream.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "reassembly/stream_policy.h"

namespace nsm4 {

const char* stream_event_name(StreamEvent e) {
  switch (e) {
    case StreamEvent::kOverlapDifferentData:
      return "REASSEMBLY_OVERLAP_DIFFERENT_DATA";
    case StreamEvent::kSegmentsLimit:
      return "REASSEMBLY_INSERT_LIMIT";
    case StreamEvent::kMemcap:
      return "REASSEMBLY_INSERT_MEMCAP";
    case StreamEvent::kDepthReached:
      return "REASSEMBLY_DEPTH_REACHED";
  }
  return "UNKNOWN";
}

void StreamStats::merge(const StreamStats& o) {
  segments += o.segments;
  in_order += o.in_order;
  out_of_order += o.out_of_order;
  retransmissions += o.retransmissions;
  overlaps += o.overlaps;
  overlap_diff += o.overlap_diff;
  gaps += o.gaps;
  gap_bytes += o.gap_bytes;
  depth_reached += o.depth_reached;
  segment_limit_drops += o.segment_limit_drops;
  memcap_drops += o.memcap_drops;
  out_of_window += o.out_of_window;
}

namespace {

// Segments starting, and acks reaching, further ahead than this are bogus.
constexpr int64_t kMaxAhead = int64_t{1} << 30;

// Internally every byte has a 64-bit stream offset: 0 is the byte at the
// start() sequence number. Sequence numbers are converted once, relative to
// next_seq, with signed 32-bit distance (so wraparound is transparent).

// Held bytes: disjoint ranges, sorted by offset.
struct Chunk {
  uint64_t start;
  uint32_t len;
  std::unique_ptr<uint8_t[]> bytes;
  uint64_t end() const { return start + len; }
};

// A held segment as it arrived (the overlap policy looks at these), sorted by
// (start, end); they may overlap one another.
struct Extent {
  uint64_t start;
  uint64_t end;
  bool operator<(const Extent& o) const { return start != o.start ? start < o.start : end < o.end; }
  bool operator==(const Extent& o) const { return start == o.start && end == o.end; }
};

constexpr size_t kChunkCost = sizeof(Chunk);
constexpr size_t kExtentCost = sizeof(Extent);

}  // namespace

struct TcpStream::Impl {
  Impl(const StreamConfig& c, StreamMemory& m, StreamStats& s) : cfg(c), mem(m), stats(s) {}
  ~Impl() { release_all(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  StreamConfig cfg;
  StreamMemory& mem;
  StreamStats& stats;

  bool started = false;
  bool done = false;  // depth reached or closed: nothing more is handed on
  uint32_t next_seq = 0;
  uint64_t next_off = 0;  // bytes handed on (data + gaps)
  uint64_t delivered = 0;

  std::vector<Chunk> chunks;
  std::vector<Extent> extents;
  uint64_t max_extent_len = 0;  // of the extents held, bounds the overlap search
  size_t held = 0;
  size_t charged = 0;

  // The last `retained` delivered bytes (overlap_window > 0 only), a ring
  // ending at ring_pos.
  std::unique_ptr<uint8_t[]> ring;
  uint32_t ring_pos = 0;
  uint64_t retained = 0;

  uint64_t limit() const {
    return cfg.depth != 0 ? cfg.depth : std::numeric_limits<uint64_t>::max();
  }

  void charge(size_t n) {
    charged += n;
    mem.used += n;
    mem.peak = std::max(mem.peak, mem.used);
  }
  void release(size_t n) {
    charged -= n;
    mem.used -= n;
  }

  void release_all() {
    for (const Chunk& c : chunks) release(kChunkCost + c.len);
    release(extents.size() * kExtentCost);
    chunks.clear();
    extents.clear();
    max_extent_len = 0;
    held = 0;
    if (ring) {
      release(cfg.overlap_window);
      ring.reset();
      retained = 0;
    }
  }

  // Index of the first chunk ending after `off`.
  size_t first_chunk_after(uint64_t off) const {
    return static_cast<size_t>(
        std::partition_point(chunks.begin(), chunks.end(),
                             [off](const Chunk& c) { return c.end() <= off; }) -
        chunks.begin());
  }

  // Calls covered(bytes, pos, n) for the held pieces of [a, b) (bytes points
  // at offset pos inside a chunk) and uncovered(pos, n) for the holes.
  template <class Covered, class Uncovered>
  void walk(uint64_t a, uint64_t b, Covered&& covered, Uncovered&& uncovered) {
    uint64_t pos = a;
    for (size_t i = first_chunk_after(a); i < chunks.size() && chunks[i].start < b; ++i) {
      Chunk& c = chunks[i];
      if (c.start > pos) {
        uncovered(pos, static_cast<uint32_t>(c.start - pos));
        pos = c.start;
      }
      const uint64_t end = std::min(b, c.end());
      covered(c.bytes.get() + (pos - c.start), pos, static_cast<uint32_t>(end - pos));
      pos = end;
    }
    if (pos < b) uncovered(pos, static_cast<uint32_t>(b - pos));
  }

  void check_depth(StreamSink& sink) {
    if (cfg.depth == 0 || next_off < cfg.depth || done) return;
    done = true;
    ++stats.depth_reached;
    sink.event(StreamEvent::kDepthReached);
  }

  void retain(const uint8_t* p, uint64_t n) {
    const uint32_t w = cfg.overlap_window;
    if (w == 0) return;
    if (!ring) {
      if (mem.used + w > cfg.memcap) return;
      ring = std::make_unique_for_overwrite<uint8_t[]>(w);
      charge(w);
      ring_pos = 0;
      retained = 0;
    }
    if (n > w) {
      p += n - w;
      n = w;
    }
    const uint32_t k = static_cast<uint32_t>(n);
    const uint32_t first = std::min(k, w - ring_pos);
    std::memcpy(ring.get() + ring_pos, p, first);
    std::memcpy(ring.get(), p + first, k - first);
    ring_pos = (ring_pos + k) % w;
    retained = std::min<uint64_t>(retained + k, w);
  }

  // Whether `data` (which starts at offset s) differs from the retained
  // delivered bytes it overlaps in [s, e).
  bool differs_from_delivered(int64_t s, int64_t e, const uint8_t* data) const {
    if (!ring || retained == 0) return false;
    const int64_t a = std::max(s, static_cast<int64_t>(next_off - retained));
    const int64_t b = std::min(e, static_cast<int64_t>(next_off));
    if (a >= b) return false;
    const uint32_t w = cfg.overlap_window;
    const uint64_t back = next_off - static_cast<uint64_t>(a);  // 1..retained
    const uint32_t idx = static_cast<uint32_t>((ring_pos + w - back % w) % w);
    const uint32_t n = static_cast<uint32_t>(b - a);
    const uint32_t first = std::min(n, w - idx);
    const uint8_t* d = data + (a - s);
    return std::memcmp(ring.get() + idx, d, first) != 0 ||
           std::memcmp(ring.get(), d + first, n - first) != 0;
  }

  void deliver(const uint8_t* p, uint64_t n, StreamSink& sink) {
    n = std::min(n, limit() - next_off);
    if (n == 0) return;
    sink.data(p, static_cast<uint32_t>(n));
    delivered += n;
    next_off += n;
    next_seq += static_cast<uint32_t>(n);
    retain(p, n);
    check_depth(sink);
  }

  void emit_gap(uint64_t n, StreamSink& sink) {
    n = std::min(n, limit() - next_off);
    if (n == 0) return;
    sink.gap(static_cast<uint32_t>(n));
    ++stats.gaps;
    stats.gap_bytes += n;
    next_off += n;
    next_seq += static_cast<uint32_t>(n);
    retained = 0;
    check_depth(sink);
  }

  // Hands on the held chunks contiguous with next_off, then forgets what was
  // handed on (everything, once done).
  void deliver_held(StreamSink& sink) {
    size_t i = 0;
    while (!done && i < chunks.size() && chunks[i].start == next_off) {
      deliver(chunks[i].bytes.get(), chunks[i].len, sink);
      ++i;
    }
    settle();
  }

  void settle() {
    if (done) {
      release_all();
      return;
    }
    size_t n = 0;
    while (n < chunks.size() && chunks[n].start < next_off) {
      release(kChunkCost + chunks[n].len);
      held -= chunks[n].len;
      ++n;
    }
    chunks.erase(chunks.begin(), chunks.begin() + static_cast<std::ptrdiff_t>(n));
    size_t m = 0;
    while (m < extents.size() && extents[m].start < next_off) ++m;
    release(m * kExtentCost);
    extents.erase(extents.begin(), extents.begin() + static_cast<std::ptrdiff_t>(m));
    if (extents.empty()) max_extent_len = 0;
  }

  // Applies the overlap policy of the new segment [s, e) against the held
  // segments it overlaps inside [a, b) (the part of it not yet handed on):
  // `buf` starts as the new bytes of [a, b) and gets the held bytes back
  // where they survive. Returns whether any overlapping bytes differed.
  bool resolve_held(uint64_t s, uint64_t e, uint64_t a, uint64_t b, const uint8_t* fresh,
                    std::vector<uint8_t>& buf) {
    bool differs = false;
    auto it = std::partition_point(extents.begin(), extents.end(),
                                   [b](const Extent& x) { return x.start < b; });
    while (it != extents.begin()) {
      --it;
      if (it->start + max_extent_len <= a) break;
      if (it->end <= a) continue;
      const uint64_t lo = std::max(a, it->start);
      const uint64_t hi = std::min(b, it->end);
      bool diff = false;
      walk(
          lo, hi,
          [&](uint8_t* old, uint64_t pos, uint32_t n) {
            if (!diff && std::memcmp(old, fresh + (pos - a), n) != 0) diff = true;
          },
          [](uint64_t, uint32_t) {});
      if (!diff) continue;
      differs = true;
      if (overlap_takes_new(cfg.policy, s, e, it->start, it->end)) continue;
      walk(
          lo, hi,
          [&](uint8_t* old, uint64_t pos, uint32_t n) {
            std::memcpy(buf.data() + (pos - a), old, n);
          },
          [](uint64_t, uint32_t) {});
    }
    return differs;
  }

  // Writes `bytes` (offset a) over the held chunks of [a, b) and into new
  // chunks for the holes between them.
  void store(uint64_t a, uint64_t b, const uint8_t* bytes) {
    std::vector<Chunk> fresh;
    walk(
        a, b,
        [&](uint8_t* old, uint64_t pos, uint32_t n) { std::memcpy(old, bytes + (pos - a), n); },
        [&](uint64_t pos, uint32_t n) {
          Chunk c{pos, n, std::make_unique_for_overwrite<uint8_t[]>(n)};
          std::memcpy(c.bytes.get(), bytes + (pos - a), n);
          fresh.push_back(std::move(c));
        });
    for (Chunk& c : fresh) {
      charge(kChunkCost + c.len);
      held += c.len;
      const uint64_t start = c.start;
      auto at = std::partition_point(chunks.begin(), chunks.end(),
                                     [start](const Chunk& x) { return x.start < start; });
      chunks.insert(at, std::move(c));
    }
  }

  void add_extent(const Extent& x) {
    extents.insert(std::lower_bound(extents.begin(), extents.end(), x), x);
    charge(kExtentCost);
    max_extent_len = std::max(max_extent_len, x.end - x.start);
  }

  bool has_extent(const Extent& x) const {
    return std::binary_search(extents.begin(), extents.end(), x);
  }

  void add(uint32_t seq, const uint8_t* data, uint32_t len, StreamSink& sink);
  void acked(uint32_t ack, StreamSink& sink);
  void close(StreamSink& sink);
};

void TcpStream::Impl::add(uint32_t seq, const uint8_t* data, uint32_t len, StreamSink& sink) {
  ++stats.segments;
  if (done) return;
  const int32_t rel = static_cast<int32_t>(seq - next_seq);
  if (rel == 0 && chunks.empty()) {  // the hot path: in order, nothing held
    ++stats.in_order;
    deliver(data, len, sink);
    if (done) release_all();
    return;
  }
  if (rel > kMaxAhead) {
    ++stats.out_of_window;
    return;
  }
  const int64_t s = static_cast<int64_t>(next_off) + rel;
  const int64_t e = s + len;
  const bool old_part = s < static_cast<int64_t>(next_off);
  if (e <= static_cast<int64_t>(next_off)) {
    ++stats.retransmissions;
    if (differs_from_delivered(s, e, data)) {
      ++stats.overlap_diff;
      sink.event(StreamEvent::kOverlapDifferentData);
    }
    return;
  }
  // [a, b): the part not yet handed on and within depth.
  const uint64_t a = std::max(s, static_cast<int64_t>(next_off));
  const uint64_t b = std::min(static_cast<uint64_t>(e), limit());
  if (a >= b) return;  // all beyond depth: never handed on
  const uint8_t* fresh = data + (static_cast<int64_t>(a) - s);

  uint64_t covered = 0;
  size_t holes = 0;
  walk(
      a, b, [&](uint8_t*, uint64_t, uint32_t n) { covered += n; },
      [&](uint64_t, uint32_t) { ++holes; });
  const uint64_t new_bytes = (b - a) - covered;
  const bool will_hold = a > next_off;

  // The common case: in order, nothing held in the way. No copy.
  if (!will_hold && covered == 0) {
    const bool differs = old_part && differs_from_delivered(s, e, data);
    ++stats.in_order;
    if (old_part) ++stats.overlaps;
    if (differs) {
      ++stats.overlap_diff;
      sink.event(StreamEvent::kOverlapDifferentData);
    }
    deliver(fresh, b - a, sink);
    deliver_held(sink);
    return;
  }

  const Extent extent{a, static_cast<uint64_t>(e)};
  const bool new_extent = will_hold && !has_extent(extent);
  if (will_hold) {
    if (new_extent && extents.size() >= cfg.max_segments) {
      ++stats.segment_limit_drops;
      sink.event(StreamEvent::kSegmentsLimit);
      return;
    }
    const uint64_t cost = new_bytes + holes * kChunkCost + (new_extent ? kExtentCost : 0);
    if (mem.used + cost > cfg.memcap) {
      ++stats.memcap_drops;
      sink.event(StreamEvent::kMemcap);
      return;
    }
  }

  bool differs = old_part && differs_from_delivered(s, e, data);
  if (covered == 0) {
    store(a, b, fresh);
  } else {
    std::vector<uint8_t> buf(fresh, fresh + (b - a));
    differs |= resolve_held(static_cast<uint64_t>(std::max<int64_t>(s, 0)),
                            static_cast<uint64_t>(e), a, b, fresh, buf);
    store(a, b, buf.data());
  }
  if (new_extent) add_extent(extent);

  if (new_bytes == 0) {
    ++stats.retransmissions;
  } else {
    if (covered != 0 || old_part) ++stats.overlaps;
    if (will_hold) {
      ++stats.out_of_order;
    } else {
      ++stats.in_order;
    }
  }
  if (differs) {
    ++stats.overlap_diff;
    sink.event(StreamEvent::kOverlapDifferentData);
  }
  if (!will_hold) deliver_held(sink);
}

void TcpStream::Impl::acked(uint32_t ack, StreamSink& sink) {
  if (!started || done) return;
  const int32_t rel = static_cast<int32_t>(ack - next_seq);
  if (rel <= 0 || rel > kMaxAhead) return;
  const uint64_t ack_off = next_off + static_cast<uint64_t>(rel);
  while (!done && next_off < ack_off) {
    const uint64_t hole_end = chunks.empty() ? ack_off : std::min(chunks.front().start, ack_off);
    emit_gap(hole_end - next_off, sink);
    deliver_held(sink);
  }
  settle();
}

void TcpStream::Impl::close(StreamSink& sink) {
  while (!done && !chunks.empty()) {
    emit_gap(chunks.front().start - next_off, sink);
    deliver_held(sink);
  }
  done = true;
  release_all();
}

TcpStream::TcpStream(const StreamConfig& cfg, StreamMemory& mem, StreamStats& stats)
    : impl_(std::make_unique<Impl>(cfg, mem, stats)) {}

TcpStream::~TcpStream() = default;

void TcpStream::start(uint32_t seq) {
  Impl& m = *impl_;
  // A second start (a retransmitted SYN) only moves a stream nothing was
  // handed on or held from.
  if (m.started && (m.next_off != 0 || !m.chunks.empty())) return;
  m.started = true;
  m.next_seq = seq;
}

bool TcpStream::started() const {
  return impl_->started;
}

void TcpStream::add(uint32_t seq, const uint8_t* data, uint32_t len, StreamSink& sink) {
  if (len == 0) return;
  if (!impl_->started) start(seq);
  impl_->add(seq, data, len, sink);
}

void TcpStream::acked(uint32_t ack, StreamSink& sink) {
  impl_->acked(ack, sink);
}

void TcpStream::close(StreamSink& sink) {
  impl_->close(sink);
}

uint32_t TcpStream::next_seq() const {
  return impl_->next_seq;
}
uint64_t TcpStream::delivered() const {
  return impl_->delivered;
}
size_t TcpStream::held_bytes() const {
  return impl_->held;
}
size_t TcpStream::memory() const {
  return impl_->charged;
}

}  // namespace nsm4
