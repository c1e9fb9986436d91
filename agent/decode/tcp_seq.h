#pragma once
// TCP sequence-number order, modulo 2^32 (RFC 793's comparisons).
#include <cstdint>

namespace nsm4 {

// a comes before b.
constexpr bool seq_before(uint32_t a, uint32_t b) {
  return static_cast<int32_t>(a - b) < 0;
}
// a is b or after it.
constexpr bool seq_geq(uint32_t a, uint32_t b) {
  return !seq_before(a, b);
}

}  // namespace nsm4
