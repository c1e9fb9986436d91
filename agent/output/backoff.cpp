#include "output/backoff.h"

#include <algorithm>

namespace nsm4::forward {

Backoff::Backoff(Ms initial, Ms max, uint64_t seed)
    : initial_(std::max(initial, Ms(1))),
      max_(std::max(max, std::max(initial, Ms(1)))),
      rng_(seed) {}

Backoff::Ms Backoff::ceiling() const {
  // initial * 2^(failures+1), saturating at max.
  int64_t c = initial_.count();
  for (uint32_t i = 0; i <= failures_ && c < max_.count(); ++i) c *= 2;
  return Ms(std::min(c, static_cast<int64_t>(max_.count())));
}

Backoff::Ms Backoff::next() {
  const Ms hi = ceiling();
  std::uniform_int_distribution<int64_t> pick(initial_.count(), hi.count());
  if (failures_ < UINT32_MAX) ++failures_;
  return Ms(pick(rng_));
}

}  // namespace nsm4::forward
