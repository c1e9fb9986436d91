#pragma once
// Detection state of one flow (flowbits, pass), allocated only for flows
// that need it and kept by the worker's DetectThread, keyed by flow id, so
// that Flow itself stays compact.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nsm4::detect {

struct FlowDetectState {
  std::vector<uint64_t> bits;  // flowbits, by FlowbitNames id
  bool pass = false;           // a pass rule matched: no more inspection

  bool isset(uint32_t b) const {
    size_t w = b / 64;
    return w < bits.size() && (bits[w] >> (b % 64)) & 1;
  }
  void set(uint32_t b, bool on) {
    size_t w = b / 64;
    if (w >= bits.size()) {
      if (!on) return;
      bits.resize(w + 1);
    }
    if (on) {
      bits[w] |= uint64_t{1} << (b % 64);
    } else {
      bits[w] &= ~(uint64_t{1} << (b % 64));
    }
  }
};

}  // namespace nsm4::detect
