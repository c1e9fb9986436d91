#pragma once
// TCP stream reassembly, one direction of one connection. Segments come in
// any order; the stream hands the bytes to its sink strictly in order, as
// soon as they are contiguous, exactly once. Retransmissions are dropped,
// overlaps resolved by the configured policy (the overlapping bytes that
// differ from what was already kept raise an event), holes wait until the
// peer acknowledges past them (or the stream closes) and are then reported as
// gaps. Depth and memory are capped; hitting a cap is counted, never fatal.
#include <cstddef>
#include <cstdint>
#include <memory>

namespace nsm4 {

// Which copy of overlapping bytes is kept; Suricata's stream policies (the
// target-based reassembly of Novak and Sturges). `first` keeps what arrived
// first; `bsd` (the default) does the same except that a segment starting
// before an earlier one replaces its bytes; `linux`, `windows`, `solaris`,
// `last` as in Suricata's stream-tcp-reassemble.c.
enum class StreamPolicy : uint8_t { kBsd, kFirst, kLast, kLinux, kWindows, kSolaris };

struct StreamConfig {
  uint32_t depth = 1u << 20;      // bytes per direction handed on; 0 = unlimited
  uint32_t max_segments = 2048;   // out-of-order segments held per direction
  uint64_t memcap = 64ull << 20;  // bytes held by all streams of one worker
  StreamPolicy policy = StreamPolicy::kBsd;
  // Bytes of already delivered data kept to compare retransmissions against
  // (REASSEMBLY_OVERLAP_DIFFERENT_DATA on data already handed on). 0 keeps
  // none: the in-order path then never copies. Suricata keeps the receive
  // window (4096 when unknown) once a rule asks for the event.
  uint32_t overlap_window = 0;
};

// What the stream raises (EVE anomaly type "stream", Suricata's names).
enum class StreamEvent : uint8_t {
  kOverlapDifferentData,  // "REASSEMBLY_OVERLAP_DIFFERENT_DATA"
  kSegmentsLimit,         // "REASSEMBLY_INSERT_LIMIT": max_segments hit, segment dropped
  kMemcap,                // "REASSEMBLY_INSERT_MEMCAP": worker memcap hit, segment dropped
  kDepthReached,          // "REASSEMBLY_DEPTH_REACHED": the rest is not reassembled
};
const char* stream_event_name(StreamEvent e);

// Receives one direction's bytes in order.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void data(const uint8_t* p, uint32_t len) = 0;
  virtual void gap(uint32_t len) = 0;  // `len` bytes will never come
  virtual void event(StreamEvent e) = 0;
};

struct StreamStats {
  uint64_t segments = 0;         // segments with data offered
  uint64_t in_order = 0;         // handed on at once
  uint64_t out_of_order = 0;     // held until the hole before them filled
  uint64_t retransmissions = 0;  // nothing new in them
  uint64_t overlaps = 0;         // partly new
  uint64_t overlap_diff = 0;     // overlapping bytes that differed
  uint64_t gaps = 0;
  uint64_t gap_bytes = 0;
  uint64_t depth_reached = 0;
  uint64_t segment_limit_drops = 0;
  uint64_t memcap_drops = 0;
  uint64_t out_of_window = 0;  // segments starting more than 1 GiB ahead: dropped
  void merge(const StreamStats& o);
};

// Memory shared by the streams of one worker (the memcap is per worker).
struct StreamMemory {
  uint64_t used = 0;
  uint64_t peak = 0;
};

class TcpStream {
 public:
  TcpStream(const StreamConfig& cfg, StreamMemory& mem, StreamStats& stats);
  ~TcpStream();
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  // The next byte of this direction has sequence number `seq` (the ISN + 1
  // after a SYN; the first seen segment's seq when picked up midstream).
  void start(uint32_t seq);
  bool started() const;

  // A segment of this direction with `len` payload bytes at `seq`. In-order
  // bytes go to the sink before this returns; the data is copied when held.
  void add(uint32_t seq, const uint8_t* data, uint32_t len, StreamSink& sink);
  // The peer acknowledged everything before `ack`: holes before it are gaps
  // and what follows them is handed on.
  void acked(uint32_t ack, StreamSink& sink);
  // The direction ended (FIN or RST processed, flow timeout, shutdown):
  // everything held is handed on, holes as gaps.
  void close(StreamSink& sink);

  uint32_t next_seq() const;   // sequence number of the next byte expected in order
  uint64_t delivered() const;  // bytes handed on (gaps not included)
  size_t held_bytes() const;   // data held out of order
  size_t memory() const;       // bytes this stream holds, bookkeeping included

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nsm4
