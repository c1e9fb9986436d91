#include "ingest/eve_timestamp.h"

#include <gtest/gtest.h>

namespace nsm4::collector {
namespace {

constexpr int64_t kSec = 1'000'000;
// 2026-01-02T03:04:05Z
constexpr int64_t k20260102 = 1767323045;

TEST(EveTimestamp, SuricataFormat) {
  EXPECT_EQ(parse_timestamp_us("2026-01-02T03:04:05.123456+0000"), k20260102 * kSec + 123456);
  EXPECT_EQ(parse_timestamp_us("1970-01-01T00:00:00.000000+0000"), 0);
}

TEST(EveTimestamp, Rfc3339Forms) {
  EXPECT_EQ(parse_timestamp_us("2026-01-02T03:04:05Z"), k20260102 * kSec);
  EXPECT_EQ(parse_timestamp_us("2026-01-02t03:04:05z"), k20260102 * kSec);
  EXPECT_EQ(parse_timestamp_us("2026-01-02 03:04:05.5Z"), k20260102 * kSec + 500000);
  EXPECT_EQ(parse_timestamp_us("2026-01-02T04:04:05+01:00"), k20260102 * kSec);
  EXPECT_EQ(parse_timestamp_us("2026-01-01T22:34:05-0430"), k20260102 * kSec);
  // Digits past microseconds are truncated.
  EXPECT_EQ(parse_timestamp_us("2026-01-02T03:04:05.1234569Z"), k20260102 * kSec + 123456);
}

TEST(EveTimestamp, CalendarEdges) {
  EXPECT_EQ(parse_timestamp_us("2024-02-29T00:00:00Z"), int64_t{1709164800} * kSec);
  EXPECT_FALSE(parse_timestamp_us("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp_us("1900-02-29T00:00:00Z"));
  EXPECT_TRUE(parse_timestamp_us("2000-02-29T00:00:00Z"));
  EXPECT_EQ(parse_timestamp_us("1969-12-31T23:59:59Z"), -kSec);
}

TEST(EveTimestamp, RejectsMalformed) {
  for (const char* bad :
       {"", "2026-01-02", "2026-01-02T03:04:05", "2026-13-02T03:04:05Z", "2026-01-32T03:04:05Z",
        "2026-01-02T24:00:00Z", "2026-01-02T03:60:00Z", "2026-01-02T03:04:05.Z",
        "2026-01-02T03:04:05+2400", "2026-01-02T03:04:05+01:60", "2026-01-02T03:04:05Zjunk",
        "2026-1-02T03:04:05Z", "20260102T030405Z", "2026-01-02X03:04:05Z",
        "2026-01-02T03:04:05+1"}) {
    EXPECT_FALSE(parse_timestamp_us(bad)) << bad;
  }
}

}  // namespace
}  // namespace nsm4::collector
