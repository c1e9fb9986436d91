// IPv4 and IPv6 defragmentation.
//
// Each datagram being rebuilt has a tracker keyed on (ip version, src, dst,
// id, IPv4 protocol, VLAN ids, tunnel depth). The tracker holds the data it
// has accepted as non-overlapping pieces, keyed by offset. When a new fragment
// N = [ns, ne) overlaps a piece O = [os, oe) already held (O's bounds as held
// now, i.e. after earlier trimming), the policy decides, for that pair, which
// copy of the shared bytes survives; the loser is trimmed (a piece may be cut
// in two), and a new fragment that loses every byte is dropped.
//
//   policy   the new fragment's bytes win when             otherwise
//   bsd      ns <  os   (it starts before the held piece)   held bytes win
//   linux    ns <= os   (starts before or at the same byte) held bytes win
//   windows  ns <  os and ne >  oe (strictly covers it)     held bytes win
//   solaris  ns <  os and ne >= oe                          held bytes win
//   first    never                                          held bytes win
//   last     always
//
// bsd, Suricata's default, is the 4.4BSD ip_reass() rule: the held fragment
// that starts at or before the new one keeps its bytes (the new one is trimmed
// at its front; a new fragment inside it, or a duplicate at the same offset,
// is dropped), and every held fragment that starts after the new one loses
// the bytes the new one covers. On the Sturges-Novak pattern (A@0 x24, B@32
// x16, C@48 x24, D@80 x8, E@104 x16, F@120 x24, G@144 x16, H@160 x16, I@176
// x8, then J@8 x32, K@48 x24, L@72 x24, M@96 x24, N@128 x8, O@152 x8, P@160
// x8, Q@176 x16 last) every policy gives the result Suricata's defrag unit
// tests expect, bsd: A*24 J*16 B*8 C*24 L*24 M*24 F*24 G*16 H*16 I*8 Q*8.
//
// Any overlap, duplicates included, raises *_FRAG_OVERLAP on the fragment
// that caused it (once per fragment, as Suricata does).
//
// Other rules, after Suricata's defrag.c where it has one:
// - offset 0 without MF is not a fragment: nothing is tracked.
// - a fragment ending past 65535 bytes (IPv4: 20 + offset + length; IPv6:
//   offset + length) raises *_FRAG_PKT_TOO_LARGE and is dropped; a rebuilt
//   datagram longer than 65535 bytes raises it too and drops the tracker.
// - IPv6: an M=1 fragment whose length is not a multiple of 8 raises
//   IPV6_FRAG_INVALID_LENGTH and is dropped.
// - the first MF=0 fragment accepted fixes the datagram's length; data held
//   past it is ignored when the datagram is rebuilt.
// - a first fragment (offset 0, MF) shorter than min_first_frag, or, when
//   that is 0, too short for the header that follows (TCP with its options,
//   UDP, ICMP, SCTP, IPv6 extension headers), raises *_FRAG_TINY_FIRST. It is
//   still reassembled: the rebuilt datagram carries the whole header.
// - max_frags fragments per datagram are accepted; the next one raises
//   *_FRAG_TOO_MANY and drops the tracker.
// - memory held (data, stored headers, bookkeeping) is capped: a fragment that
//   would exceed memcap raises *_FRAG_IGNORED and is dropped.
// - a tracker times out timeout_sec of packet time after its last fragment.
// - the rebuilt datagram takes the header of the fragment whose data holds
//   offset 0: IPv4 with MF and offset cleared (DF and RF kept), total length
//   and checksum recomputed; IPv6 without its fragment header, the preceding
//   header's next-header set to the fragment's, payload length recomputed.
#include "reassembly/defrag.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <unordered_map>

#include "decode/checksum.h"

namespace nsm4 {

void DefragStats::merge(const DefragStats& o) {
  ipv4_fragments += o.ipv4_fragments;
  ipv6_fragments += o.ipv6_fragments;
  ipv4_reassembled += o.ipv4_reassembled;
  ipv6_reassembled += o.ipv6_reassembled;
  overlaps += o.overlaps;
  timeouts += o.timeouts;
  memcap_drops += o.memcap_drops;
  too_many += o.too_many;
  tiny_first += o.tiny_first;
  too_large += o.too_large;
  invalid += o.invalid;
}

namespace {

constexpr uint32_t kMaxDatagram = 65535;
constexpr uint32_t kIpv4MinHeader = 20;
constexpr uint32_t kIpv6Header = 40;
constexpr uint32_t kIpv6FragHeader = 8;
// Bookkeeping charged against memcap besides the bytes themselves.
constexpr uint64_t kTrackerOverhead = 160;
constexpr uint64_t kPieceOverhead = 64;

struct Key {
  IpAddr src;
  IpAddr dst;
  uint32_t id = 0;
  uint8_t proto = 0;  // IPv4 only
  uint8_t ip_version = 0;
  uint8_t tunnel_depth = 0;
  std::array<uint16_t, 3> vlan{};
  bool operator==(const Key&) const = default;
};

struct KeyHash {
  size_t operator()(const Key& k) const {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    auto mix = [&h](const uint8_t* p, size_t n) {
      for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    };
    mix(k.src.bytes.data(), k.src.bytes.size());
    mix(k.dst.bytes.data(), k.dst.bytes.size());
    const uint8_t small[] = {static_cast<uint8_t>(k.id >> 24),
                             static_cast<uint8_t>(k.id >> 16),
                             static_cast<uint8_t>(k.id >> 8),
                             static_cast<uint8_t>(k.id),
                             k.proto,
                             k.ip_version,
                             k.tunnel_depth};
    mix(small, sizeof small);
    for (uint16_t v : k.vlan) {
      const uint8_t b[] = {static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
      mix(b, 2);
    }
    return static_cast<size_t>(h);
  }
};

// Accepted data, keyed by offset; pieces never overlap.
using Pieces = std::map<uint32_t, std::vector<uint8_t>>;

struct Tracker {
  Pieces pieces;
  uint64_t data_bytes = 0;
  // IPv4: the header with options. IPv6: the unfragmentable part, fragment
  // header removed and next-header already pointed past it.
  std::vector<uint8_t> first_hdr;
  bool seen_last = false;
  uint32_t last_end = 0;
  uint32_t frag_count = 0;
  int64_t deadline_us = 0;
  uint64_t mem = 0;  // what this tracker charges against memcap

  uint64_t charge() const {
    return kTrackerOverhead + first_hdr.size() + data_bytes + pieces.size() * kPieceOverhead;
  }
};

// The data of one fragment, located in the capture.
struct FragView {
  bool v6 = false;
  uint32_t start = 0;  // offset in the datagram
  const uint8_t* data = nullptr;
  uint32_t len = 0;
  uint8_t next_proto = 0;  // protocol of the data (IPv4 proto / IPv6 fragment next header)
};

bool new_wins(DefragPolicy policy, uint32_t ns, uint32_t ne, uint32_t os, uint32_t oe) {
  switch (policy) {
    case DefragPolicy::kBsd:
      return ns < os;
    case DefragPolicy::kLinux:
      return ns <= os;
    case DefragPolicy::kWindows:
      return ns < os && ne > oe;
    case DefragPolicy::kSolaris:
      return ns < os && ne >= oe;
    case DefragPolicy::kFirst:
      return false;
    case DefragPolicy::kLast:
      return true;
  }
  return false;
}

struct Range {
  uint32_t start, end;
};

// Adds [f.start, f.start + f.len) to the tracker under `policy`. Returns
// whether it overlapped held data; `won_zero` tells whether the new fragment's
// byte 0 survived (only meaningful when f.start == 0).
bool insert_fragment(Tracker& t, const FragView& f, DefragPolicy policy, bool& won_zero) {
  const uint32_t ns = f.start, ne = f.start + f.len;
  std::vector<uint32_t> losers;  // keys of held pieces that give up bytes
  std::vector<Range> blocked;    // parts of the new fragment held pieces keep
  auto it = t.pieces.upper_bound(ns);
  if (it != t.pieces.begin()) {
    auto prev = std::prev(it);
    if (prev->first + prev->second.size() > ns) it = prev;
  }
  for (; it != t.pieces.end() && it->first < ne; ++it) {
    const uint32_t os = it->first;
    const uint32_t oe = os + static_cast<uint32_t>(it->second.size());
    if (new_wins(policy, ns, ne, os, oe)) {
      losers.push_back(os);
    } else {
      blocked.push_back({std::max(ns, os), std::min(ne, oe)});
    }
  }
  const bool overlap = !losers.empty() || !blocked.empty();

  for (uint32_t os : losers) {
    auto node = t.pieces.extract(os);
    std::vector<uint8_t>& bytes = node.mapped();
    const uint32_t oe = os + static_cast<uint32_t>(bytes.size());
    t.data_bytes -= bytes.size();
    if (os < ns) {
      std::vector<uint8_t> left(bytes.begin(), bytes.begin() + (ns - os));
      t.data_bytes += left.size();
      t.pieces.emplace(os, std::move(left));
    }
    if (oe > ne) {
      std::vector<uint8_t> right(bytes.begin() + (ne - os), bytes.end());
      t.data_bytes += right.size();
      t.pieces.emplace(ne, std::move(right));
    }
  }

  won_zero = false;
  uint32_t cur = ns;
  auto keep = [&](uint32_t s, uint32_t e) {
    if (s >= e) return;
    if (s == 0) won_zero = true;
    t.pieces.emplace(s, std::vector<uint8_t>(f.data + (s - ns), f.data + (e - ns)));
    t.data_bytes += e - s;
  };
  for (const Range& b : blocked) {  // sorted and disjoint, like the pieces
    keep(cur, b.start);
    cur = std::max(cur, b.end);
  }
  keep(cur, ne);
  return overlap;
}

bool complete(const Tracker& t) {
  if (!t.seen_last || t.first_hdr.empty()) return false;
  uint32_t cur = 0;
  for (const auto& [start, bytes] : t.pieces) {
    if (start > cur) return false;
    cur = std::max<uint32_t>(cur, start + static_cast<uint32_t>(bytes.size()));
    if (cur >= t.last_end) return true;
  }
  return cur >= t.last_end;
}

// Minimum bytes the first fragment must carry so that the header of
// `proto` is whole; 0 when nsm4 does not look into `proto`.
uint32_t min_first_fragment(uint8_t proto, const uint8_t* data, uint32_t len) {
  switch (proto) {
    case 6: {  // TCP, with its options when the data offset is readable
      uint32_t need = 20;
      if (len >= 13) need = std::max<uint32_t>(need, (data[12] >> 4) * 4u);
      return need;
    }
    case 17:  // UDP
    case 1:   // ICMP
    case 58:  // ICMPv6
      return 8;
    case 132:  // SCTP common header
      return 12;
    case 0:  // IPv6 Hop-by-Hop, Routing, Fragment, Destination Options
    case 43:
    case 44:
    case 60:
      return len >= 2 ? (data[1] + 1u) * 8u : 8;
    case 51:  // AH
      return len >= 2 ? (data[1] + 2u) * 4u : 12;
    default:
      return 0;
  }
}

// Copies the IPv6 unfragmentable part [ip, ip + unfrag_len) and sets the
// next-header field that pointed at the fragment header to `next_hdr`.
bool ipv6_unfragmentable_part(const uint8_t* ip, uint32_t unfrag_len, uint8_t next_hdr,
                              std::vector<uint8_t>& out) {
  if (unfrag_len < kIpv6Header) return false;
  out.assign(ip, ip + unfrag_len);
  uint32_t nh_pos = 6, off = kIpv6Header;
  while (off < unfrag_len) {
    if (off + 2 > unfrag_len) return false;
    const uint32_t len = out[nh_pos] == 51 ? (out[off + 1] + 2u) * 4u : (out[off + 1] + 1u) * 8u;
    nh_pos = off;
    off += len;
  }
  if (off != unfrag_len) return false;
  out[nh_pos] = next_hdr;
  return true;
}

DecodeEvent ev(bool v6, DecodeEvent v4_event, DecodeEvent v6_event) {
  return v6 ? v6_event : v4_event;
}

}  // namespace

struct Defragmenter::Impl {
  DefragConfig cfg;
  std::unordered_map<Key, Tracker, KeyHash> trackers;
  uint64_t memuse = 0;
  int64_t last_sweep_sec = std::numeric_limits<int64_t>::min();

  void drop(std::unordered_map<Key, Tracker, KeyHash>::iterator it) {
    memuse -= it->second.mem;
    trackers.erase(it);
  }
};

Defragmenter::Defragmenter(const DefragConfig& cfg) : impl_(std::make_unique<Impl>()) {
  impl_->cfg = cfg;
}

Defragmenter::~Defragmenter() = default;

size_t Defragmenter::tracker_count() const {
  return impl_->trackers.size();
}
uint64_t Defragmenter::memuse() const {
  return impl_->memuse;
}

void Defragmenter::advance_time(Timestamp now) {
  if (now.sec == impl_->last_sweep_sec) return;
  impl_->last_sweep_sec = now.sec;
  const int64_t now_us = now.micros();
  for (auto it = impl_->trackers.begin(); it != impl_->trackers.end();) {
    auto cur = it++;
    if (cur->second.deadline_us < now_us) {
      ++stats_.timeouts;
      impl_->drop(cur);
    }
  }
}

bool Defragmenter::add(DecodeContext& ctx, Packet& p, std::vector<uint8_t>& out) {
  if (!p.is_fragment || (p.ip_version != 4 && p.ip_version != 6)) return false;
  if (p.frag_offset == 0 && !p.frag_more) return false;  // a whole datagram
  const bool v6 = p.ip_version == 6;
  ++(v6 ? stats_.ipv6_fragments : stats_.ipv4_fragments);

  // Locate the fragment's data; it must be wholly captured.
  if (p.ip_hdr == nullptr || p.data == nullptr || p.ip_hdr < p.data ||
      p.ip_hdr > p.data + p.caplen) {
    ++stats_.invalid;
    return false;
  }
  const uint32_t avail = static_cast<uint32_t>(p.data + p.caplen - p.ip_hdr);
  FragView f;
  f.v6 = v6;
  f.start = p.frag_offset;
  uint32_t data_off;
  if (v6) {
    data_off = p.frag_unfrag_len + kIpv6FragHeader;
    f.next_proto = p.frag_next_hdr;
  } else {
    data_off = p.ip_hdr_len;
    f.next_proto = p.ip_proto;
  }
  const uint32_t min_hdr = v6 ? kIpv6Header + kIpv6FragHeader : kIpv4MinHeader;
  if (data_off < min_hdr || p.ip_total_len < data_off || p.ip_total_len > avail) {
    ++stats_.invalid;
    return false;
  }
  f.data = p.ip_hdr + data_off;
  f.len = p.ip_total_len - data_off;

  if (v6 && p.frag_more && f.len % 8 != 0) {
    if (!p.has_event(DecodeEvent::IPV6_FRAG_INVALID_LENGTH))
      decode_event(ctx, p, DecodeEvent::IPV6_FRAG_INVALID_LENGTH);
    ++stats_.invalid;
    return false;
  }
  if ((v6 ? 0 : kIpv4MinHeader) + f.start + f.len > kMaxDatagram) {
    decode_event(
        ctx, p, ev(v6, DecodeEvent::IPV4_FRAG_PKT_TOO_LARGE, DecodeEvent::IPV6_FRAG_PKT_TOO_LARGE));
    ++stats_.too_large;
    return false;
  }
  if (f.len == 0) return false;  // nothing to place

  const bool first = f.start == 0;
  std::vector<uint8_t> first_hdr;
  if (first) {
    if (v6) {
      if (!ipv6_unfragmentable_part(p.ip_hdr, p.frag_unfrag_len, p.frag_next_hdr, first_hdr)) {
        ++stats_.invalid;
        return false;
      }
    } else {
      first_hdr.assign(p.ip_hdr, p.ip_hdr + p.ip_hdr_len);
    }
    const uint32_t cfg_min = impl_->cfg.min_first_frag;
    const uint32_t need = cfg_min ? cfg_min : min_first_fragment(f.next_proto, f.data, f.len);
    if (f.len < need) {
      decode_event(ctx, p,
                   ev(v6, DecodeEvent::IPV4_FRAG_TINY_FIRST, DecodeEvent::IPV6_FRAG_TINY_FIRST));
      ++stats_.tiny_first;
    }
  }

  advance_time(p.ts);

  Key key;
  key.src = p.src;
  key.dst = p.dst;
  key.id = p.frag_id;
  key.proto = v6 ? 0 : p.ip_proto;
  key.ip_version = p.ip_version;
  key.tunnel_depth = p.tunnel_depth;
  key.vlan = p.vlan;

  const int64_t now_us = p.ts.micros();
  auto it = impl_->trackers.find(key);
  if (it != impl_->trackers.end() && it->second.deadline_us < now_us) {
    ++stats_.timeouts;
    impl_->drop(it);
    it = impl_->trackers.end();
  }

  const uint64_t cost = f.len + kPieceOverhead + first_hdr.size() +
                        (it == impl_->trackers.end() ? kTrackerOverhead : 0);
  if (impl_->memuse + cost > impl_->cfg.memcap) {
    decode_event(ctx, p, ev(v6, DecodeEvent::IPV4_FRAG_IGNORED, DecodeEvent::IPV6_FRAG_IGNORED));
    ++stats_.memcap_drops;
    return false;
  }
  if (it == impl_->trackers.end()) it = impl_->trackers.emplace(key, Tracker{}).first;
  Tracker& t = it->second;

  if (++t.frag_count > impl_->cfg.max_frags) {
    decode_event(ctx, p, ev(v6, DecodeEvent::IPV4_FRAG_TOO_MANY, DecodeEvent::IPV6_FRAG_TOO_MANY));
    ++stats_.too_many;
    impl_->drop(it);
    return false;
  }

  bool won_zero = false;
  if (insert_fragment(t, f, impl_->cfg.policy, won_zero)) {
    decode_event(ctx, p, ev(v6, DecodeEvent::IPV4_FRAG_OVERLAP, DecodeEvent::IPV6_FRAG_OVERLAP));
    ++stats_.overlaps;
  }
  if (first && won_zero) t.first_hdr = std::move(first_hdr);
  if (!p.frag_more && !t.seen_last) {
    t.seen_last = true;
    t.last_end = f.start + f.len;
  }
  t.deadline_us = now_us + static_cast<int64_t>(impl_->cfg.timeout_sec) * 1000000;
  impl_->memuse -= t.mem;
  t.mem = t.charge();
  impl_->memuse += t.mem;

  if (!complete(t)) return false;

  const uint32_t hdr_len = static_cast<uint32_t>(t.first_hdr.size());
  const uint32_t total = t.last_end;
  const uint32_t ip_len = v6 ? hdr_len - kIpv6Header + total : hdr_len + total;
  if (ip_len > kMaxDatagram) {
    decode_event(
        ctx, p, ev(v6, DecodeEvent::IPV4_FRAG_PKT_TOO_LARGE, DecodeEvent::IPV6_FRAG_PKT_TOO_LARGE));
    ++stats_.too_large;
    impl_->drop(it);
    return false;
  }

  out.assign(hdr_len + total, 0);
  std::memcpy(out.data(), t.first_hdr.data(), hdr_len);
  for (const auto& [start, bytes] : t.pieces) {
    if (start >= total) break;
    const size_t n = std::min<size_t>(bytes.size(), total - start);
    std::memcpy(out.data() + hdr_len + start, bytes.data(), n);
  }
  if (v6) {
    out[4] = static_cast<uint8_t>(ip_len >> 8);
    out[5] = static_cast<uint8_t>(ip_len);
    ++stats_.ipv6_reassembled;
  } else {
    out[2] = static_cast<uint8_t>(ip_len >> 8);
    out[3] = static_cast<uint8_t>(ip_len);
    out[6] &= 0xc0;  // keep RF and DF, clear MF and the offset
    out[7] = 0;
    out[10] = out[11] = 0;
    const uint16_t sum = inet_checksum(out.data(), hdr_len);
    out[10] = static_cast<uint8_t>(sum >> 8);
    out[11] = static_cast<uint8_t>(sum);
    ++stats_.ipv4_reassembled;
  }
  impl_->drop(it);
  return true;
}

}  // namespace nsm4
