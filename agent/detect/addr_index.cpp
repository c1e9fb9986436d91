#include "detect/addr_index.h"

#include <algorithm>

namespace nsm4::detect {

bool AddrIndex::small(const rules::AddressSet& s) {
  uint64_t v4 = 0;
  for (const auto& r : s.v4().ranges()) v4 += uint64_t{r.hi} - r.lo + 1;
  rules::Uint128 v6 = 0;
  for (const auto& r : s.v6().ranges()) {
    rules::Uint128 n = r.hi - r.lo;
    if (n >= (static_cast<rules::Uint128>(1) << 64)) return false;
    v6 += n + 1;
  }
  return v4 <= (uint64_t{1} << 20) && v6 <= (static_cast<rules::Uint128>(1) << 64);
}

void AddrIndex::add(const rules::AddressSet& s, uint32_t rule) {
  for (const auto& r : s.v4().ranges()) v4_.pending.push_back({r.lo, r.hi, rule});
  for (const auto& r : s.v6().ranges()) v6_.pending.push_back({r.lo, r.hi, rule});
}

void AddrIndex::build() {
  v4_.build();
  v6_.build();
}

template <typename T>
void AddrIndex::Part<T>::build() {
  // Segment boundaries: every range start and every address after a range end.
  std::vector<T> cuts;
  for (const auto& r : pending) {
    cuts.push_back(r.lo);
    if (r.hi != static_cast<T>(~static_cast<T>(0))) cuts.push_back(static_cast<T>(r.hi + 1));
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<std::vector<uint32_t>> seg_rules(cuts.size());
  for (const auto& r : pending) {
    size_t i = static_cast<size_t>(std::lower_bound(cuts.begin(), cuts.end(), r.lo) - cuts.begin());
    for (; i < cuts.size() && cuts[i] <= r.hi; ++i) seg_rules[i].push_back(r.rule);
  }
  for (size_t i = 0; i < cuts.size(); ++i) {
    if (seg_rules[i].empty()) continue;
    auto& l = seg_rules[i];
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
    lo.push_back(cuts[i]);
    hi.push_back(i + 1 < cuts.size() ? static_cast<T>(cuts[i + 1] - 1)
                                     : static_cast<T>(~static_cast<T>(0)));
    first.push_back(static_cast<uint32_t>(rules.size()));
    count.push_back(static_cast<uint32_t>(l.size()));
    rules.insert(rules.end(), l.begin(), l.end());
  }
  pending.clear();
  pending.shrink_to_fit();
}

template <typename T>
void AddrIndex::Part<T>::lookup(T v, std::vector<uint32_t>& out) const {
  auto it = std::upper_bound(lo.begin(), lo.end(), v);
  if (it == lo.begin()) return;
  size_t i = static_cast<size_t>(it - lo.begin()) - 1;
  if (v > hi[i]) return;
  out.insert(out.end(), rules.begin() + first[i], rules.begin() + first[i] + count[i]);
}

void AddrIndex::lookup(const IpAddr& a, std::vector<uint32_t>& out) const {
  if (a.version == 4) {
    if (v4_.rules.empty()) return;
    uint32_t v = (uint32_t{a.bytes[0]} << 24) | (uint32_t{a.bytes[1]} << 16) |
                 (uint32_t{a.bytes[2]} << 8) | a.bytes[3];
    v4_.lookup(v, out);
  } else if (a.version == 6 && !v6_.rules.empty()) {
    v6_.lookup(rules::v6_to_int(a.bytes.data()), out);
  }
}

}  // namespace nsm4::detect
