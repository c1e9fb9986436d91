#pragma once
// Open-addressing hash index from flow hash to flow slot: linear probing,
// load factor at most 1/2, deletion by backward shift (no tombstones), so a
// lookup touches a few adjacent 8-byte slots and memory per flow stays small.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nsm4 {

class FlowIndex {
 public:
  struct Slot {
    uint32_t hash = 0;  // low 32 bits of the flow hash
    uint32_t ref = 0;   // flow slot + 1; 0 = empty
  };
  // Index bytes accounted per flow at the maximum load factor.
  static constexpr size_t kBytesPerEntry = 2 * sizeof(Slot);

  explicit FlowIndex(size_t initial_capacity = 1024);

  // The ref of the first entry with this hash for which match(ref) holds, or 0.
  template <class Match>
  uint32_t find(uint64_t hash, Match&& match) const {
    uint32_t h = static_cast<uint32_t>(hash);
    for (size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.ref == 0) return 0;
      if (s.hash == h && match(s.ref)) return s.ref;
    }
  }
  void insert(uint64_t hash, uint32_t ref);
  // Removes the entry (hash, ref); it must be present.
  void erase(uint64_t hash, uint32_t ref);

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  size_t bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  void grow();
  void place(Slot s);

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace nsm4
