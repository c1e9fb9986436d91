#pragma once
// A set of unsigned integers kept as sorted, disjoint, non-adjacent closed
// intervals. The base of address sets (per family) and port sets.
#include <algorithm>
#include <vector>

namespace nsm4::rules {

template <typename T>
class IntervalSet {
 public:
  struct Range {
    T lo;
    T hi;
    bool operator==(const Range&) const = default;
  };

  void add(T lo, T hi) {
    if (!ranges_.empty()) normalized_ = false;
    ranges_.push_back({lo, hi});
  }
  // Sorts and merges; call after a batch of add() and before queries.
  void normalize() {
    if (normalized_) return;
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return a.lo < b.lo; });
    std::vector<Range> out;
    for (const Range& r : ranges_) {
      // Adjacent ranges merge too: [1,5] + [6,9] = [1,9]. hi + 1 may wrap at
      // the maximum, so compare without adding to a maximal hi.
      if (!out.empty() && (r.lo <= out.back().hi || r.lo - 1 <= out.back().hi)) {
        out.back().hi = std::max(out.back().hi, r.hi);
      } else {
        out.push_back(r);
      }
    }
    ranges_.swap(out);
    normalized_ = true;
  }

  bool contains(T v) const {
    // The last range starting at or before v.
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), v,
                               [](T x, const Range& r) { return x < r.lo; });
    if (it == ranges_.begin()) return false;
    --it;
    return v <= it->hi;
  }

  // Everything in [0, max] not in this set.
  IntervalSet complement(T max) const {
    IntervalSet out;
    T next = 0;
    bool done = false;
    for (const Range& r : ranges_) {
      if (r.lo > next) out.ranges_.push_back({next, static_cast<T>(r.lo - 1)});
      if (r.hi == max) {
        done = true;
        break;
      }
      next = static_cast<T>(r.hi + 1);
    }
    if (!done) out.ranges_.push_back({next, max});
    return out;
  }

  IntervalSet unite(const IntervalSet& other) const {
    IntervalSet out = *this;
    out.ranges_.insert(out.ranges_.end(), other.ranges_.begin(), other.ranges_.end());
    out.normalized_ = false;
    out.normalize();
    return out;
  }

  IntervalSet subtract(const IntervalSet& other, T max) const {
    return intersect(other.complement(max));
  }

  IntervalSet intersect(const IntervalSet& other) const {
    IntervalSet out;
    size_t i = 0, j = 0;
    while (i < ranges_.size() && j < other.ranges_.size()) {
      const Range& a = ranges_[i];
      const Range& b = other.ranges_[j];
      T lo = std::max(a.lo, b.lo);
      T hi = std::min(a.hi, b.hi);
      if (lo <= hi) out.ranges_.push_back({lo, hi});
      if (a.hi < b.hi) {
        ++i;
      } else {
        ++j;
      }
    }
    return out;
  }

  bool empty() const { return ranges_.empty(); }
  bool is_full(T max) const {
    return ranges_.size() == 1 && ranges_[0].lo == 0 && ranges_[0].hi == max;
  }
  const std::vector<Range>& ranges() const { return ranges_; }
  bool operator==(const IntervalSet& o) const { return ranges_ == o.ranges_; }

 private:
  std::vector<Range> ranges_;
  bool normalized_ = true;
};

}  // namespace nsm4::rules
