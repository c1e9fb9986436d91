#include "detect/threshold_table.h"

#include <algorithm>
#include <cstring>

namespace nsm4::detect {

size_t ThresholdTable::KeyHash::operator()(const Key& k) const {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ k.kind;
  auto first = k.rule;
  auto mix = [&](uint64_t w) {
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  };
  mix(first);
  mix(k.flow);
  for (const auto* arr : {&k.a, &k.b}) {
    uint64_t w[2];
    std::memcpy(w, arr->data(), 16);
    mix(w[0]);
    mix(w[1]);
  }
  return static_cast<size_t>(h);
}

bool ThresholdTable::allow(uint32_t gid, uint32_t sid, const ThresholdSpec& t, const Packet& p,
                           uint64_t flow_id) {
  Key k{};
  k.rule = (uint64_t{gid} << 32) | sid;
  k.kind = t.type == ThresholdSpec::kDetectionFilter ? 1 : 0;
  switch (t.track) {
    case ThresholdSpec::kBySrc:
      k.a = p.src.bytes;
      break;
    case ThresholdSpec::kByDst:
      k.a = p.dst.bytes;
      break;
    case ThresholdSpec::kByBoth: {
      bool lo = std::memcmp(p.src.bytes.data(), p.dst.bytes.data(), 16) <= 0;
      k.a = lo ? p.src.bytes : p.dst.bytes;
      k.b = lo ? p.dst.bytes : p.src.bytes;
      break;
    }
    case ThresholdSpec::kByFlow:
      k.flow = flow_id;
      break;
    case ThresholdSpec::kByRule:
      break;
  }
  const int64_t now = p.ts.sec;
  std::lock_guard lock(mu_);
  if (entries_.size() >= kPruneAt) prune(now);
  auto [it, fresh] = entries_.try_emplace(k);
  Entry& e = it->second;
  const bool in_window = !fresh && now - e.start_sec < static_cast<int64_t>(t.seconds);
  e.seconds = t.type == ThresholdSpec::kBackoff ? -1 : static_cast<int64_t>(t.seconds);
  switch (t.type) {
    case ThresholdSpec::kLimit:
      if (!in_window) {
        e.start_sec = now;
        e.count = 1;
        return true;
      }
      return ++e.count <= t.count;
    case ThresholdSpec::kThreshold:
      if (!in_window) {
        e.start_sec = now;
        e.count = 1;
      } else {
        ++e.count;
      }
      if (e.count >= t.count) {
        e.count = 0;
        return true;
      }
      return false;
    case ThresholdSpec::kBoth:
      if (!in_window) {
        e.start_sec = now;
        e.count = 1;
      } else {
        ++e.count;
      }
      return e.count == t.count;
    case ThresholdSpec::kBackoff:
      // Alerts on the count-th match, then count*multiplier, count*multiplier^2 ...
      if (fresh) e.next = t.count;
      if (++e.count != e.next) return false;
      e.next *= t.multiplier;
      return true;
    case ThresholdSpec::kDetectionFilter: {
      if (t.unique != ThresholdSpec::kNone) {
        uint16_t port = t.unique == ThresholdSpec::kSrcPort ? p.sport : p.dport;
        if (!in_window) {
          e.start_sec = now;
          e.ports.assign(1, port);
          return e.ports.size() > t.count;
        }
        auto pos = std::lower_bound(e.ports.begin(), e.ports.end(), port);
        if (pos == e.ports.end() || *pos != port) e.ports.insert(pos, port);
        return e.ports.size() > t.count;
      }
      if (!in_window) {
        e.start_sec = now;
        e.count = 1;
        return e.count > t.count;
      }
      return ++e.count > t.count;
    }
  }
  return true;
}

void ThresholdTable::prune(int64_t now) {
  std::erase_if(entries_, [now](const auto& kv) {
    const Entry& e = kv.second;
    return e.seconds >= 0 && now - e.start_sec >= e.seconds;
  });
}

void ThresholdTable::clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace nsm4::detect
