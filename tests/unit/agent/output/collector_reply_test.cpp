#include "output/collector_reply.h"

#include <gtest/gtest.h>

namespace nsm4::forward {
namespace {

TEST(CollectorReply, ParsesTheWireReply) {
  auto r = parse_collector_reply(
      R"({"stored":3,"duplicate":false,"rejected":[{"line":2,"error":"not JSON"},{"line":5,"error":"x"}]})");
  EXPECT_TRUE(r.valid);
  EXPECT_EQ(r.stored, 3u);
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.rejected_lines, 2u);
  EXPECT_EQ(r.first_rejection, "line 2: not JSON");
}

TEST(CollectorReply, DuplicateAndJunk) {
  auto d = parse_collector_reply(R"({"stored":0,"duplicate":true,"rejected":[]})");
  EXPECT_TRUE(d.valid);
  EXPECT_TRUE(d.duplicate);
  EXPECT_EQ(d.rejected_lines, 0u);
  EXPECT_FALSE(parse_collector_reply("<html>").valid);
  EXPECT_FALSE(parse_collector_reply("").valid);
  EXPECT_FALSE(parse_collector_reply("[1,2]").valid);
  EXPECT_EQ(parse_collector_reply(R"({"stored":"x","rejected":7})").rejected_lines, 0u);
}

}  // namespace
}  // namespace nsm4::forward
