// libFuzzer target for TCP stream reassembly: two streams (sharing one
// worker's memory) driven by operations read from the input.
//
// Input format:
//   header (10 bytes)  policy, depth/64 (0 = unlimited), max_segments,
//                      memcap/16 (2 bytes, big endian), overlap_window,
//                      ISN of stream 0 (4 bytes; stream 1 uses ISN ^ 2^31)
//   then operations    [op][...]:
//     op bit 7          which stream
//     op bits 0-1       0, 1: add   [seq:2][len:1] then `len` data bytes unless
//                                   bit 6 (then the bytes are the stream's
//                                   reference pattern at those seqs)
//                       2: acked    [ack:2]
//                       3: close
//     op bit 5          seq / ack is 4 raw bytes instead of 2 bytes relative
//                       to the ISN (signed)
// Invariants checked after every operation: the sink's data bytes equal
// delivered(); data + gaps equal next_seq() - ISN (mod 2^32), never exceed
// the depth nor the furthest byte offered or acknowledged; a stream fed only
// pattern bytes hands on only pattern bytes; the shared memory is the sum of
// the streams' and stays within the memcap; it returns to 0 at destruction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "reassembly/tcp_stream.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

uint8_t pattern(uint32_t seq) {
  return static_cast<uint8_t>((seq * 2654435761u) >> 24);
}

class Reader {
 public:
  Reader(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  bool empty() const { return pos_ >= n_; }
  uint8_t u8() { return pos_ < n_ ? d_[pos_++] : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() << 8 | u8()); }
  uint32_t u32() { return static_cast<uint32_t>(u16()) << 16 | u16(); }
  // Up to n bytes; fewer at the end of the input.
  const uint8_t* take(size_t& n) {
    if (n > n_ - pos_) n = n_ - pos_;
    const uint8_t* p = d_ + pos_;
    pos_ += n;
    return p;
  }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t pos_ = 0;
};

struct CheckingSink : nsm4::StreamSink {
  uint32_t isn = 0;
  bool truthful = true;  // only pattern bytes were offered
  uint64_t data_bytes = 0;
  uint64_t gap_bytes = 0;
  uint64_t handed() const { return data_bytes + gap_bytes; }

  void data(const uint8_t* p, uint32_t len) override {
    check(len > 0);
    if (truthful) {
      const uint32_t seq = isn + static_cast<uint32_t>(handed());
      for (uint32_t i = 0; i < len; ++i) check(p[i] == pattern(seq + i));
    }
    data_bytes += len;
  }
  void gap(uint32_t len) override {
    check(len > 0);
    gap_bytes += len;
  }
  void event(nsm4::StreamEvent e) override { check(nsm4::stream_event_name(e) != nullptr); }
};

struct Side {
  std::unique_ptr<nsm4::TcpStream> stream;
  CheckingSink sink;
  uint64_t offered = 0;   // data bytes passed to add()
  uint64_t frontier = 0;  // furthest offset offered or acknowledged
};

// Records how far ahead of what was handed on `seq` reaches.
void reach(Side& s, uint32_t seq) {
  const auto rel = static_cast<int32_t>(seq - s.stream->next_seq());
  if (rel > 0) s.frontier = std::max(s.frontier, s.sink.handed() + static_cast<uint64_t>(rel));
}

void check_side(const Side& s, const nsm4::StreamConfig& cfg) {
  const nsm4::TcpStream& t = *s.stream;
  check(s.sink.data_bytes == t.delivered());
  check(static_cast<uint32_t>(s.sink.isn + s.sink.handed()) == t.next_seq());
  check(s.sink.data_bytes <= s.offered);
  check(s.sink.handed() <= s.frontier);
  if (cfg.depth != 0) check(s.sink.handed() <= cfg.depth);
  check(t.held_bytes() <= t.memory());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  nsm4::StreamConfig cfg;
  cfg.policy = static_cast<nsm4::StreamPolicy>(in.u8() % 6);
  cfg.depth = in.u8() * 64u;
  cfg.max_segments = in.u8();
  cfg.memcap = in.u16() * 16u;
  cfg.overlap_window = in.u8();
  const uint32_t isn = in.u32();

  nsm4::StreamMemory mem;
  nsm4::StreamStats stats;
  {
    Side sides[2];
    for (int i = 0; i < 2; ++i) {
      sides[i].stream = std::make_unique<nsm4::TcpStream>(cfg, mem, stats);
      sides[i].sink.isn = isn ^ (i == 0 ? 0u : 0x80000000u);
      sides[i].stream->start(sides[i].sink.isn);
    }
    std::vector<uint8_t> buf;
    while (!in.empty()) {
      const uint8_t op = in.u8();
      Side& s = sides[op >> 7];
      const bool raw = (op & 0x20) != 0;
      const uint32_t seq = raw ? in.u32() : s.sink.isn + static_cast<int16_t>(in.u16());
      switch (op & 3) {
        case 0:
        case 1: {
          size_t len = in.u8();
          if ((op & 0x40) != 0) {
            buf.resize(len);
            for (size_t i = 0; i < len; ++i) buf[i] = pattern(seq + static_cast<uint32_t>(i));
          } else {
            const uint8_t* p = in.take(len);
            buf.assign(p, p + len);  // exactly sized, so ASan sees overreads
            s.sink.truthful = false;
          }
          reach(s, seq + static_cast<uint32_t>(len));
          s.offered += len;
          s.stream->add(seq, buf.data(), static_cast<uint32_t>(len), s.sink);
          break;
        }
        case 2:
          reach(s, seq);
          s.stream->acked(seq, s.sink);
          break;
        default:
          s.stream->close(s.sink);
          break;
      }
      check_side(s, cfg);
      check(mem.used == sides[0].stream->memory() + sides[1].stream->memory());
      check(mem.used <= cfg.memcap);
      check(mem.peak >= mem.used);
    }
  }
  check(mem.used == 0);
  return 0;
}
