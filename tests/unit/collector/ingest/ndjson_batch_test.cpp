#include "ingest/ndjson_batch.h"

#include <gtest/gtest.h>

namespace nsm4::collector {
namespace {

TEST(NdjsonBatch, KeepsGoodLinesAndNumbersBadOnes) {
  const std::string body =
      "{\"event_type\":\"flow\",\"timestamp\":\"2026-01-02T03:04:05Z\"}\n"
      "\n"
      "not json\n"
      "  {\"event_type\":\"dns\"}  \r\n"
      "[1]\n"
      "{\"no_type\":1}";
  NdjsonOptions opt;
  opt.default_ts_us = 99;
  const ParsedBatch b = parse_ndjson_batch(body, opt);
  ASSERT_EQ(b.events.size(), 2u);
  EXPECT_EQ(b.events[0].json, "{\"event_type\":\"flow\",\"timestamp\":\"2026-01-02T03:04:05Z\"}");
  EXPECT_EQ(b.events[0].ts_us, int64_t{1767323045} * 1'000'000);
  EXPECT_EQ(b.events[1].json, "{\"event_type\":\"dns\"}");  // trimmed
  EXPECT_EQ(b.events[1].ts_us, 99);                         // receipt time
  ASSERT_EQ(b.rejected.size(), 3u);
  EXPECT_EQ(b.rejected[0].line, 3u);
  EXPECT_EQ(b.rejected[0].error, "not JSON: unexpected 'n' at byte 1");
  EXPECT_EQ(b.rejected[1].line, 5u);
  EXPECT_EQ(b.rejected[1].error, "not a JSON object");
  EXPECT_EQ(b.rejected[2].line, 6u);
  EXPECT_EQ(b.rejected[2].error, "no event_type");
  EXPECT_EQ(b.lines, 5u);
}

TEST(NdjsonBatch, LongLinesAreRejectedBeforeParsing) {
  NdjsonOptions opt;
  opt.max_line_bytes = 64;
  const std::string long_line = "{\"event_type\":\"x\",\"pad\":\"" + std::string(100, 'a') + "\"}";
  const ParsedBatch b = parse_ndjson_batch("{\"event_type\":\"x\"}\n" + long_line + "\n", opt);
  ASSERT_EQ(b.events.size(), 1u);
  ASSERT_EQ(b.rejected.size(), 1u);
  EXPECT_EQ(b.rejected[0].line, 2u);
  EXPECT_EQ(b.rejected[0].error,
            "line is " + std::to_string(long_line.size()) + " bytes, over the limit of 64");
}

TEST(NdjsonBatch, BoundsLinesAndKeptErrors) {
  NdjsonOptions opt;
  opt.max_lines = 3;
  opt.max_rejected_kept = 1;
  const ParsedBatch ok = parse_ndjson_batch("x\n\ny\n{\"event_type\":\"a\"}\n\n", opt);
  EXPECT_FALSE(ok.too_many_lines);
  EXPECT_EQ(ok.rejected_lines, 2u);
  ASSERT_EQ(ok.rejected.size(), 1u);
  EXPECT_EQ(ok.rejected[0].line, 1u);
  EXPECT_EQ(ok.events.size(), 1u);
  const ParsedBatch over = parse_ndjson_batch("x\ny\nz\nw\n", opt);
  EXPECT_TRUE(over.too_many_lines);
  EXPECT_EQ(over.lines, 3u);
}

TEST(NdjsonBatch, SkipsByteOrderMarkAndHandlesEmptyBodies) {
  const ParsedBatch b = parse_ndjson_batch("\xEF\xBB\xBF{\"event_type\":\"x\"}", {});
  EXPECT_EQ(b.events.size(), 1u);
  EXPECT_TRUE(b.rejected.empty());
  const ParsedBatch empty = parse_ndjson_batch("\n\n  \n", {});
  EXPECT_TRUE(empty.events.empty());
  EXPECT_TRUE(empty.rejected.empty());
  EXPECT_EQ(empty.lines, 0u);
}

}  // namespace
}  // namespace nsm4::collector
