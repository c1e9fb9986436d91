#include "flow/flow_index.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace nsm4 {
namespace {

TEST(FlowIndex, FindsInsertedAndForgetsErased) {
  FlowIndex idx(16);
  auto is = [](uint32_t want) { return [want](uint32_t ref) { return ref == want; }; };
  idx.insert(42, 1);
  idx.insert(42, 2);  // same hash, another flow
  EXPECT_EQ(idx.find(42, is(1)), 1u);
  EXPECT_EQ(idx.find(42, is(2)), 2u);
  EXPECT_EQ(idx.find(43, is(1)), 0u);
  idx.erase(42, 1);
  EXPECT_EQ(idx.find(42, is(1)), 0u);
  EXPECT_EQ(idx.find(42, is(2)), 2u);
  EXPECT_EQ(idx.size(), 1u);
}

// Random inserts and erases, with many colliding home slots and wrap-around,
// checked against std::unordered_map.
TEST(FlowIndex, MatchesReferenceUnderChurn) {
  FlowIndex idx(16);
  std::unordered_map<uint32_t, uint64_t> ref_hash;  // ref -> hash
  std::mt19937_64 rng(7);
  uint32_t next_ref = 1;
  for (int step = 0; step < 100000; ++step) {
    bool do_insert = ref_hash.size() < 50 || (rng() % 3 != 0 && ref_hash.size() < 1500);
    if (do_insert) {
      uint64_t h = rng() % 64 == 0 ? 0xffffffffu : rng() % 4096;  // collisions
      idx.insert(h, next_ref);
      ref_hash[next_ref++] = h;
    } else {
      auto it = ref_hash.begin();
      std::advance(it, static_cast<long>(rng() % ref_hash.size() % 16));
      idx.erase(it->second, it->first);
      ref_hash.erase(it);
    }
    if (step % 2500 == 0) {
      for (const auto& [r, h] : ref_hash) {
        uint32_t want = r;
        ASSERT_EQ(idx.find(h, [want](uint32_t x) { return x == want; }), want) << step;
      }
    }
  }
  EXPECT_EQ(idx.size(), ref_hash.size());
  EXPECT_LE(idx.size() * 2, idx.capacity());
}

}  // namespace
}  // namespace nsm4
