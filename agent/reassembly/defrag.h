#pragma once
// IPv4 and IPv6 defragmentation, per worker. Fragments are keyed on
// (src, dst, id, protocol, VLAN); overlaps are resolved with the `bsd` policy
// (Suricata's default). Memory is capped; trackers time out in packet time.
// The policies and every drop rule are documented at the top of defrag.cpp.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "decode/decoder.h"
#include "decode/packet.h"

namespace nsm4 {

// Which copy of overlapping bytes survives (Novak, "Target-Based Fragmentation
// Reassembly"; names as in Suricata's defrag.policy).
enum class DefragPolicy : uint8_t { kBsd, kFirst, kLast, kLinux, kWindows, kSolaris };

struct DefragConfig {
  uint32_t timeout_sec = 60;
  uint64_t memcap = 32ull << 20;  // bytes held: fragment data, stored headers and bookkeeping
  uint32_t max_frags = 64;        // per datagram; more raises *_FRAG_TOO_MANY and drops it
  uint32_t min_first_frag =
      0;  // tiny-first-fragment threshold in payload bytes; 0 = auto (L4 header must fit)
  DefragPolicy policy = DefragPolicy::kBsd;
};

struct DefragStats {
  uint64_t ipv4_fragments = 0, ipv6_fragments = 0;
  uint64_t ipv4_reassembled = 0, ipv6_reassembled = 0;
  uint64_t overlaps = 0;
  uint64_t timeouts = 0;
  uint64_t memcap_drops = 0;
  uint64_t too_many = 0;
  uint64_t tiny_first = 0;
  uint64_t too_large = 0;  // fragments or datagrams beyond 65535 bytes
  uint64_t invalid = 0;    // fragments not usable (truncated, bad IPv6 length, bad header chain)
  void merge(const DefragStats& o);
};

class Defragmenter {
 public:
  explicit Defragmenter(const DefragConfig& cfg = {});
  ~Defragmenter();
  Defragmenter(const Defragmenter&) = delete;
  Defragmenter& operator=(const Defragmenter&) = delete;

  // Feed a decoded fragment (p.is_fragment). Anomalies (overlap, too many,
  // tiny first) are recorded on `p` via ctx. When this fragment completes a
  // datagram, returns true and fills `out` with the whole rebuilt IP datagram
  // (header with fragment fields cleared and lengths fixed, then the payload),
  // ready to be decoded again from the IP layer.
  bool add(DecodeContext& ctx, Packet& p, std::vector<uint8_t>& out);

  // Drops trackers older than the timeout.
  void advance_time(Timestamp now);

  const DefragStats& stats() const { return stats_; }
  // Datagrams being reassembled, and the bytes they hold (compared to memcap).
  size_t tracker_count() const;
  uint64_t memuse() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  DefragStats stats_;
};

}  // namespace nsm4
