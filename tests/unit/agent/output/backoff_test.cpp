#include "output/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace nsm4::forward {
namespace {

using Ms = std::chrono::milliseconds;

TEST(Backoff, DelaysStayBetweenInitialAndADoublingCeiling) {
  Backoff b(Ms(500), Ms(30000), 1);
  int64_t ceiling = 1000;
  for (int n = 0; n < 20; ++n) {
    EXPECT_EQ(b.ceiling().count(), std::min<int64_t>(ceiling, 30000)) << "failure " << n;
    const Ms d = b.next();
    EXPECT_GE(d.count(), 500) << "failure " << n;
    EXPECT_LE(d.count(), std::min<int64_t>(ceiling, 30000)) << "failure " << n;
    ceiling *= 2;
  }
  EXPECT_EQ(b.ceiling().count(), 30000);  // saturates at retry.max
}

TEST(Backoff, JitterSpreadsTheDelays) {
  // Full jitter: many agents failing at once must not retry in step.
  std::set<int64_t> seen;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Backoff b(Ms(100), Ms(10000), seed);
    for (int i = 0; i < 5; ++i) b.next();
    seen.insert(b.next().count());
  }
  EXPECT_GT(seen.size(), 30u);
  for (int64_t d : seen) {
    EXPECT_GE(d, 100);
    EXPECT_LE(d, 6400);
  }
}

TEST(Backoff, ResetStartsOver) {
  Backoff b(Ms(200), Ms(60000), 7);
  for (int i = 0; i < 10; ++i) b.next();
  EXPECT_EQ(b.failures(), 10u);
  EXPECT_EQ(b.ceiling().count(), 60000);
  b.reset();
  EXPECT_EQ(b.failures(), 0u);
  EXPECT_EQ(b.ceiling().count(), 400);
  EXPECT_LE(b.next().count(), 400);
}

TEST(Backoff, MaxBelowInitialIsRaised) {
  Backoff b(Ms(1000), Ms(10), 3);
  EXPECT_EQ(b.next().count(), 1000);
}

}  // namespace
}  // namespace nsm4::forward
