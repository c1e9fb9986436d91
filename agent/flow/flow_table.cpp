#include "flow/flow_table.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "flow/flow_index.h"
#include "flow/flow_key.h"
#include "flow/tcp_tracker.h"

namespace nsm4 {

namespace {

constexpr uint32_t kNil = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kChunkShift = 12;  // flows are allocated 4096 at a time
constexpr uint32_t kChunkSize = 1u << kChunkShift;
constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;
constexpr uint8_t kProtoIcmp = 1;
constexpr uint8_t kProtoIcmpv6 = 58;

// Timeout classes: protocol group (tcp, udp, icmp, other) x flow state.
constexpr int kStates = 3;
constexpr int kClasses = 4 * kStates;
static_assert(kClasses <= 16, "Flow::timeout_class is 4 bits");
static_assert(Flow::kMaxMacs < 4, "Flow::src_mac_count / dst_mac_count are 2 bits");
static_assert(sizeof(Flow) == 192, "Flow: three cache lines");

int proto_group(uint8_t proto) {
  switch (proto) {
    case kProtoTcp:
      return 0;
    case kProtoUdp:
      return 1;
    case kProtoIcmp:
    case kProtoIcmpv6:
      return 2;
    default:
      return 3;
  }
}

constexpr int64_t kMicrosPerSecond = 1000000;

// The whole second of packet time t lies in (floor, so that a second's
// microseconds are [s * 10^6, (s + 1) * 10^6) for negative times too).
int64_t second_of(Timestamp t) {
  if (t.usec >= 0 && t.usec < kMicrosPerSecond) return t.sec;  // as captures give it
  int64_t us = t.micros();
  int64_t s = us / kMicrosPerSecond;
  return us % kMicrosPerSecond < 0 ? s - 1 : s;
}

uint8_t timeout_class(const Flow& f) {
  return static_cast<uint8_t>(proto_group(f.key.proto) * kStates + static_cast<int>(f.state));
}

}  // namespace

const size_t FlowTable::kBytesPerFlow = sizeof(Flow) + FlowIndex::kBytesPerEntry;

void FlowStats::merge(const FlowStats& o) {
  created += o.created;
  created_tcp += o.created_tcp;
  created_udp += o.created_udp;
  created_icmp += o.created_icmp;
  created_other += o.created_other;
  ended_timeout += o.ended_timeout;
  ended_forced += o.ended_forced;
  ended_shutdown += o.ended_shutdown;
  ended_tcp_reuse += o.ended_tcp_reuse;
  emergency_evictions += o.emergency_evictions;
  memcap_drops += o.memcap_drops;
  active += o.active;
  memuse += o.memuse;
  tcp_midstream_ignored += o.tcp_midstream_ignored;
}

struct FlowTable::Impl {
  struct List {
    uint32_t head = kNil;
    uint32_t tail = kNil;
  };

  Impl(const FlowConfig& c, FlowEndFn fn, FlowStats& s)
      : cfg(c), on_end(std::move(fn)), stats(s), seed(std::random_device{}()) {
    tcp.midstream = c.midstream;
    tcp.async_oneside = c.async_oneside;
    const FlowTimeouts* per_group[4] = {&c.tcp, &c.udp, &c.icmp, &c.other};
    for (int g = 0; g < 4; ++g) {
      timeout_us[g * kStates + 0] = int64_t{per_group[g]->new_} * 1000000;
      timeout_us[g * kStates + 1] = int64_t{per_group[g]->established} * 1000000;
      timeout_us[g * kStates + 2] = int64_t{per_group[g]->closed} * 1000000;
    }
  }

  Flow& at(uint32_t i) { return chunks[i >> kChunkShift][i & (kChunkSize - 1)]; }

  // Reads only the flow's first cache line: the class from protocol and state
  // (equal to f.timeout_class outside process()).
  bool expired(const Flow& f, Timestamp now) const {
    return f.last_seen.micros() + timeout_us[timeout_class(f)] < now.micros();
  }

  uint32_t alloc() {
    if (free_head != kNil) {
      uint32_t i = free_head;
      free_head = at(i).lru_next;
      return i;
    }
    if (high_water == chunks.size() * kChunkSize)
      chunks.push_back(std::make_unique<Flow[]>(kChunkSize));
    return high_water++;
  }

  void release(uint32_t i) {
    at(i).lru_next = free_head;
    free_head = i;
  }

  void link_tail(uint32_t i) {
    Flow& f = at(i);
    List& l = lists[f.timeout_class];
    f.lru_prev = l.tail;
    f.lru_next = kNil;
    if (l.tail != kNil) {
      at(l.tail).lru_next = i;
    } else {
      l.head = i;
    }
    l.tail = i;
  }

  void unlink(uint32_t i) {
    Flow& f = at(i);
    List& l = lists[f.timeout_class];
    if (f.lru_prev != kNil) {
      at(f.lru_prev).lru_next = f.lru_next;
    } else {
      l.head = f.lru_next;
    }
    if (f.lru_next != kNil) {
      at(f.lru_next).lru_prev = f.lru_prev;
    } else {
      l.tail = f.lru_prev;
    }
  }

  // After a packet: moves the flow to the tail of its timeout list when its
  // timeout class changed or its last_seen entered a new second. Each list
  // is so ordered by the second of last activity (not by the exact time:
  // relinking on every packet wrote into two other flows' records, random
  // cache lines, per packet); advance_time() checks the flows of a partly
  // expired second one by one.
  void touch(uint32_t i, int64_t second_before) {
    Flow& f = at(i);
    uint8_t cls = timeout_class(f);
    if (cls == f.timeout_class && second_of(f.last_seen) == second_before) return;
    unlink(i);
    f.timeout_class = cls;
    link_tail(i);
  }

  // Ends the expired flows of one timeout list (every flow in it has the
  // same timeout). The list is ordered by second of last activity, so the
  // walk stops at the first second none of whose flows can have expired.
  void expire_list(int cls, Timestamp now) {
    const int64_t timeout = timeout_us[static_cast<size_t>(cls)];
    bool in_second = false;  // walking the flows of a partly expired second
    int64_t second = 0;
    for (uint32_t i = lists[static_cast<size_t>(cls)].head; i != kNil;) {
      Flow& f = at(i);
      uint32_t next = f.lru_next;
      if (f.last_seen.micros() + timeout < now.micros()) {
        end(i, FlowEndReason::kTimeout);
      } else {
        // f is alive, so is every flow of a later second.
        int64_t s = second_of(f.last_seen);
        if (in_second ? s > second : s * kMicrosPerSecond + timeout >= now.micros()) break;
        if (!in_second) {
          in_second = true;
          second = s;
        }
      }
      i = next;
    }
  }

  void end(uint32_t i, FlowEndReason reason) {
    Flow& f = at(i);
    index.erase(symmetric_key_hash(f.key, seed), i + 1);
    unlink(i);
    switch (reason) {
      case FlowEndReason::kTimeout:
        ++stats.ended_timeout;
        break;
      case FlowEndReason::kForced:
        ++stats.ended_forced;
        break;
      case FlowEndReason::kShutdown:
        ++stats.ended_shutdown;
        break;
      case FlowEndReason::kTcpReuse:
        ++stats.ended_tcp_reuse;
        break;
    }
    --stats.active;
    stats.memuse -= kBytesPerFlow;
    if (on_end) on_end(f, reason);
    release(i);
  }

  // The least recently seen flow over all timeout lists, to the second: a
  // list's head is the flow first active in the list's oldest second.
  uint32_t oldest() {
    uint32_t best = kNil;
    for (const List& l : lists) {
      if (l.head == kNil) continue;
      if (best == kNil || at(l.head).last_seen < at(best).last_seen) best = l.head;
    }
    return best;
  }

  // Evicts the oldest flows until one more fits under the memcap.
  bool make_room() {
    bool evicted = false;
    while (stats.memuse + kBytesPerFlow > cfg.memcap) {
      uint32_t victim = oldest();
      if (victim == kNil) return false;
      if (!evicted) ++stats.emergency_evictions;
      evicted = true;
      end(victim, FlowEndReason::kForced);
    }
    return true;
  }

  uint32_t create(const FlowKey& pk, uint64_t hash, const Packet& p, bool& toserver) {
    if (!make_room()) {
      ++stats.memcap_drops;
      return kNil;
    }
    uint32_t i = alloc();
    Flow& f = at(i);
    f = Flow{};
    // A TCP flow first seen at its SYN/ACK belongs to the SYN/ACK's receiver.
    bool swap = p.l4 == Layer::kTcp && (p.tcp_flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck);
    f.key = swap ? reversed(pk) : pk;
    toserver = !swap;
    f.start = p.ts;
    f.last_seen = p.ts;
    f.ip_version = p.ip_version;
    f.flow_id = make_flow_id(f.key, p.ts);
    f.timeout_class = timeout_class(f);
    link_tail(i);
    index.insert(hash, i + 1);
    ++stats.created;
    switch (proto_group(f.key.proto)) {
      case 0:
        ++stats.created_tcp;
        break;
      case 1:
        ++stats.created_udp;
        break;
      case 2:
        ++stats.created_icmp;
        break;
      default:
        ++stats.created_other;
        break;
    }
    ++stats.active;
    stats.memuse += kBytesPerFlow;
    return i;
  }

  // Adds mac to the set unless present; returns the new count.
  static uint8_t add_mac(Flow& f, uint8_t (&set)[Flow::kMaxMacs][6], uint8_t count,
                         const uint8_t* mac) {
    for (uint8_t i = 0; i < count; ++i)
      if (std::memcmp(set[i], mac, 6) == 0) return count;
    if (count == Flow::kMaxMacs) {
      f.mac_overflow = true;
      return count;
    }
    std::memcpy(set[count], mac, 6);
    return static_cast<uint8_t>(count + 1);
  }

  void update(Flow& f, const Packet& p, bool toserver) {
    FlowDirStats& d = toserver ? f.toserver : f.toclient;
    bool first_in_dir = d.pkts == 0;
    ++d.pkts;
    // A tunnelled packet's inner flow counts the inner frame, as Suricata does.
    d.bytes += p.wirelen - p.outer_hdr_len;
    if (p.l4 == Layer::kTcp) d.tcp_flags |= p.tcp_flags;
    if (f.last_seen < p.ts) f.last_seen = p.ts;
    if (p.has_eth) {
      f.src_mac_count = add_mac(f, f.src_macs, f.src_mac_count, toserver ? p.eth_src : p.eth_dst);
      f.dst_mac_count = add_mac(f, f.dst_macs, f.dst_mac_count, toserver ? p.eth_dst : p.eth_src);
    }
    if (p.l4 == Layer::kIcmpv4 || p.l4 == Layer::kIcmpv6) {
      if (toserver && first_in_dir) {
        f.icmp_type = p.icmp_type;
        f.icmp_code = p.icmp_code;
      } else if (!toserver && !f.has_response_icmp) {
        f.has_response_icmp = true;
        f.response_icmp_type = p.icmp_type;
        f.response_icmp_code = p.icmp_code;
      }
    }
    if (f.key.proto == kProtoTcp) {
      tcp_track(f, p, toserver, tcp);
    } else if (f.state == FlowState::kNew && f.toserver.pkts && f.toclient.pkts) {
      f.state = FlowState::kEstablished;
    }
  }

  FlowConfig cfg;
  TcpTrackConfig tcp;
  FlowEndFn on_end;
  FlowStats& stats;
  uint64_t seed;  // per table, so flow hashes cannot be predicted from outside
  std::array<int64_t, kClasses> timeout_us{};
  std::array<List, kClasses> lists{};
  std::vector<std::unique_ptr<Flow[]>> chunks;
  uint32_t high_water = 0;  // slots ever handed out
  uint32_t free_head = kNil;
  FlowIndex index;
};

FlowTable::FlowTable(const FlowConfig& cfg, FlowEndFn on_end)
    : impl_(std::make_unique<Impl>(cfg, std::move(on_end), stats_)) {}

FlowTable::~FlowTable() = default;

size_t FlowTable::size() const {
  return impl_->index.size();
}

Flow* FlowTable::process(const Packet& p, bool& toserver) {
  if (!packet_forms_flow(p)) return nullptr;
  Impl& m = *impl_;
  const FlowKey pk = packet_flow_key(p);
  const uint64_t hash = symmetric_key_hash(pk, m.seed);
  KeyMatch match = KeyMatch::kNone;
  uint32_t ref = m.index.find(hash, [&](uint32_t r) {
    const Flow& f = m.at(r - 1);
    // The update reads the other two lines: fetch them alongside the key's.
    __builtin_prefetch(reinterpret_cast<const char*>(&f) + 64, 1);
    __builtin_prefetch(reinterpret_cast<const char*>(&f) + 128, 1);
    match = match_key(f.key, pk);
    return match != KeyMatch::kNone;
  });
  if (ref != 0) {
    uint32_t i = ref - 1;
    Flow& f = m.at(i);
    toserver = match == KeyMatch::kForward;
    if (m.expired(f, p.ts)) {
      m.end(i, FlowEndReason::kTimeout);
      ref = 0;
    } else if (tcp_is_reuse(f, p, toserver)) {
      m.end(i, FlowEndReason::kTcpReuse);
      ref = 0;
    }
  }
  bool created = ref == 0;
  uint32_t i = created ? m.create(pk, hash, p, toserver) : ref - 1;
  if (i == kNil) return nullptr;
  Flow& f = m.at(i);
  const int64_t second_before = second_of(f.last_seen);
  m.update(f, p, toserver);
  if (created && f.key.proto == kProtoTcp && !f.tcp_tracked && !m.cfg.midstream)
    ++stats_.tcp_midstream_ignored;
  m.touch(i, second_before);
  return &f;
}

void FlowTable::advance_time(Timestamp now) {
  Impl& m = *impl_;
  for (int cls = 0; cls < kClasses; ++cls) m.expire_list(cls, now);
}

void FlowTable::flush_all() {
  Impl& m = *impl_;
  std::vector<uint32_t> all;
  all.reserve(m.index.size());
  for (const auto& l : m.lists)
    for (uint32_t i = l.head; i != kNil; i = m.at(i).lru_next) all.push_back(i);
  std::sort(all.begin(), all.end(), [&](uint32_t a, uint32_t b) {
    const Flow& fa = m.at(a);
    const Flow& fb = m.at(b);
    if (fa.start != fb.start) return fa.start < fb.start;
    return fa.flow_id < fb.flow_id;
  });
  for (uint32_t i : all) m.end(i, FlowEndReason::kShutdown);
}

uint64_t FlowTable::symmetric_hash(const Packet& p) {
  FlowKey k = packet_flow_key(p);
  if (!packet_forms_flow(p)) k.sport = k.dport = 0;  // fragments etc.: by addresses
  return symmetric_key_hash(k, 0);
}

}  // namespace nsm4
