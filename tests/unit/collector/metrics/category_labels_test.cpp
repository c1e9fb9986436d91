#include "metrics/category_labels.h"

#include <gtest/gtest.h>

namespace nsm4::collector {
namespace {

TEST(CategoryLabels, FirstComersAreNamedUpToTheBound) {
  CategoryLabels labels(2);
  std::string demoted;
  EXPECT_EQ(labels.label_for("A", 1, demoted), "A");
  EXPECT_EQ(labels.label_for("B", 1, demoted), "B");
  EXPECT_EQ(labels.label_for("C", 1, demoted), "other");
  EXPECT_TRUE(demoted.empty());
  EXPECT_EQ(labels.named_count(), 2u);
}

TEST(CategoryLabels, AFrequentCategoryTakesTheSmallestOnesPlace) {
  CategoryLabels labels(2);
  std::string demoted;
  labels.label_for("A", 10, demoted);
  labels.label_for("B", 2, demoted);
  EXPECT_EQ(labels.label_for("C", 2, demoted), "other");  // a tie does not swap
  EXPECT_EQ(labels.label_for("C", 1, demoted), "C");      // 3 > 2
  EXPECT_EQ(demoted, "B");
  EXPECT_FALSE(labels.named("B"));
  EXPECT_TRUE(labels.named("C"));
  EXPECT_EQ(labels.label_for("B", 1, demoted), "other");  // 3, not more than C's 3
  EXPECT_TRUE(demoted.empty());
}

TEST(CategoryLabels, EmptyAndLiteralOther) {
  CategoryLabels labels(5);
  std::string demoted;
  EXPECT_EQ(labels.label_for("", 1, demoted), "none");
  EXPECT_EQ(labels.label_for("other", 1, demoted), "other");
  EXPECT_FALSE(labels.named("other"));
}

TEST(CategoryLabels, TrackingIsBoundedToo) {
  CategoryLabels labels(1, /*max_tracked=*/3);
  std::string demoted;
  for (const char* c : {"A", "B", "C"}) labels.label_for(c, 1, demoted);
  // D is never tracked, however often it comes: it stays "other".
  EXPECT_EQ(labels.label_for("D", 100, demoted), "other");
  EXPECT_TRUE(labels.named("A"));
}

}  // namespace
}  // namespace nsm4::collector
