#pragma once
// Retry delays: exponential with full jitter. The n-th consecutive failure
// (n = 0, 1, ...) waits a uniformly random time in
//   [initial, min(max, initial * 2^(n+1))],
// so every delay lies between retry.initial and retry.max, the ceiling doubles
// per failure, and agents that failed together do not retry together.
#include <chrono>
#include <cstdint>
#include <random>

namespace nsm4::forward {

class Backoff {
 public:
  using Ms = std::chrono::milliseconds;
  Backoff(Ms initial, Ms max, uint64_t seed);

  // The delay before the next attempt; advances the failure count.
  Ms next();
  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }
  // The ceiling of the current failure's delay.
  Ms ceiling() const;

 private:
  Ms initial_;
  Ms max_;
  uint32_t failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nsm4::forward
