#include "output/batch_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace nsm4::forward {
namespace {

std::string lines(int n, size_t width = 10) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string l = "{\"n\":" + std::to_string(i) + "}";
    l.resize(std::max(l.size(), width), ' ');
    out += l + "\n";
  }
  return out;
}

TEST(BatchBuilder, ClosesAtMaxEvents) {
  BatchBuilder b(3, 1 << 20);
  std::vector<Batch> closed;
  b.add(lines(7), closed);
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].events, 3u);
  EXPECT_EQ(closed[1].events, 3u);
  EXPECT_FALSE(b.empty());
  b.close(closed);
  ASSERT_EQ(closed.size(), 3u);
  EXPECT_EQ(closed[2].events, 1u);
  EXPECT_TRUE(b.empty());
  // Nothing lost, nothing reordered.
  EXPECT_EQ(closed[0].ndjson + closed[1].ndjson + closed[2].ndjson, lines(7));
}

TEST(BatchBuilder, ClosesBeforeMaxBytesWithoutSplittingLines) {
  // Lines of 20 bytes + newline; 50 bytes hold two of them.
  BatchBuilder b(1000, 50);
  std::vector<Batch> closed;
  b.add(lines(5, 20), closed);
  b.close(closed);
  ASSERT_EQ(closed.size(), 3u);
  for (const auto& batch : closed) {
    EXPECT_LE(batch.ndjson.size(), 50u);
    EXPECT_EQ(batch.ndjson.back(), '\n');
  }
  EXPECT_EQ(closed[0].events + closed[1].events + closed[2].events, 5u);
}

TEST(BatchBuilder, LineLongerThanMaxBytesTravelsAlone) {
  BatchBuilder b(1000, 50);
  std::vector<Batch> closed;
  b.add("{\"a\":1}\n" + std::string(120, 'x') + "\n{\"b\":2}\n", closed);
  b.close(closed);
  ASSERT_EQ(closed.size(), 3u);
  EXPECT_EQ(closed[1].events, 1u);
  EXPECT_EQ(closed[1].ndjson.size(), 121u);
}

TEST(BatchBuilder, MissingFinalNewlineAndBlankLines) {
  BatchBuilder b(1000, 1 << 20);
  std::vector<Batch> closed;
  b.add("{\"a\":1}\n\n{\"b\":2}", closed);
  b.close(closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].events, 2u);
  EXPECT_EQ(closed[0].ndjson, "{\"a\":1}\n{\"b\":2}\n");
}

TEST(BatchBuilder, OpenedAtIsTheFirstLine) {
  BatchBuilder b(1000, 1 << 20);
  std::vector<Batch> closed;
  const auto before = BatchBuilder::Clock::now();
  b.add("{}\n", closed);
  const auto first = b.opened_at();
  EXPECT_GE(first, before);
  b.add("{}\n", closed);
  EXPECT_EQ(b.opened_at(), first);  // later lines do not push the deadline back
}

}  // namespace
}  // namespace nsm4::forward
