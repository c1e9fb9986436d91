#include "flow/flow_index.h"

#include <bit>
#include <cassert>

namespace nsm4 {

FlowIndex::FlowIndex(size_t initial_capacity) {
  size_t cap = std::bit_ceil(initial_capacity < 16 ? size_t{16} : initial_capacity);
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
}

void FlowIndex::place(Slot s) {
  size_t i = s.hash & mask_;
  while (slots_[i].ref != 0) i = (i + 1) & mask_;
  slots_[i] = s;
}

void FlowIndex::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& s : old)
    if (s.ref != 0) place(s);
}

void FlowIndex::insert(uint64_t hash, uint32_t ref) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  place(Slot{static_cast<uint32_t>(hash), ref});
  ++size_;
}

void FlowIndex::erase(uint64_t hash, uint32_t ref) {
  uint32_t h = static_cast<uint32_t>(hash);
  size_t i = h & mask_;
  while (!(slots_[i].ref == ref && slots_[i].hash == h)) {
    assert(slots_[i].ref != 0);
    if (slots_[i].ref == 0) return;  // not present: nothing to do
    i = (i + 1) & mask_;
  }
  // Backward shift: pull later entries of the probe run into the hole when
  // their home slot does not lie cyclically in (hole, their position].
  size_t hole = i;
  for (size_t j = (hole + 1) & mask_; slots_[j].ref != 0; j = (j + 1) & mask_) {
    size_t home = slots_[j].hash & mask_;
    bool home_between = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!home_between) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Slot{};
  --size_;
}

}  // namespace nsm4
