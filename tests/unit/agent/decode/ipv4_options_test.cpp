#include "decode/ipv4_options.h"

#include <gtest/gtest.h>

#include <vector>

namespace nsm4 {
namespace {

struct Result {
  uint16_t bits;
  Packet p;
};
Result parse(const std::vector<uint8_t>& opts) {
  DecodeContext ctx;
  Result r{};
  r.bits = parse_ipv4_options(ctx, r.p, opts.data(), static_cast<uint32_t>(opts.size()));
  return r;
}

// Record route with room for 9 addresses, pointer at the first free slot.
std::vector<uint8_t> rr(uint8_t type = 7, uint8_t len = 39, uint8_t ptr = 8) {
  std::vector<uint8_t> o(40, 0);
  o[0] = type;
  o[1] = len;
  o[2] = ptr;
  return o;
}

TEST(Ipv4Options, EmptyAreaHasNoBitsNoEvents) {
  Result r = parse({});
  EXPECT_EQ(r.bits, 0);
  EXPECT_EQ(r.p.event_count, 0);
}

TEST(Ipv4Options, NopAndEol) {
  Result r = parse({1, 1, 1, 0, 0, 0, 0, 0});
  EXPECT_EQ(r.bits, kIpOptNop | kIpOptEol);
  EXPECT_EQ(r.p.event_count, 0);
}

TEST(Ipv4Options, RouteOptions) {
  EXPECT_EQ(parse(rr(7)).bits, kIpOptRr | kIpOptEol);  // the last octet is an EOL
  EXPECT_EQ(parse(rr(131)).bits, kIpOptLsrr | kIpOptEol);
  EXPECT_EQ(parse(rr(137)).bits, kIpOptSsrr | kIpOptEol);
  EXPECT_EQ(parse(rr(7)).p.event_count, 0);
  // Pointer not a multiple of 4, past the end, or before the data.
  for (uint8_t ptr : {5, 0xff, 0}) {
    Result r = parse(rr(7, 39, ptr));
    EXPECT_EQ(r.bits & kIpOptRr, 0) << int(ptr);
    EXPECT_TRUE(r.p.has_event(DecodeEvent::IPV4_OPT_MALFORMED)) << int(ptr);
  }
  Result too_long = parse(rr(7, 0xff));
  EXPECT_TRUE(too_long.p.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));
}

TEST(Ipv4Options, Timestamp) {
  std::vector<uint8_t> ts = {68, 36, 13, 1, 10, 10, 10, 105, 4, 206, 13};
  ts.resize(40, 0);
  EXPECT_EQ(parse(ts).bits, kIpOptTs | kIpOptEol);
  ts[2] = 4;  // pointer below the records
  EXPECT_TRUE(parse(ts).p.has_event(DecodeEvent::IPV4_OPT_MALFORMED));
  ts[2] = 10;  // not on an 8-byte record boundary (flag 1)
  EXPECT_TRUE(parse(ts).p.has_event(DecodeEvent::IPV4_OPT_MALFORMED));
}

TEST(Ipv4Options, FixedLengthOptions) {
  std::vector<uint8_t> sec = {130, 11, 0xf1, 0x35};
  sec.resize(16, 0);
  EXPECT_EQ(parse(sec).bits, kIpOptSec | kIpOptEol);
  sec[1] = 10;
  EXPECT_TRUE(parse(sec).p.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));

  EXPECT_EQ(parse({136, 4, 0, 1, 0, 0, 0, 0}).bits, kIpOptSid | kIpOptEol);
  EXPECT_TRUE(parse({136, 5, 0, 1, 0, 0, 0, 0}).p.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));
  EXPECT_EQ(parse({25, 8, 0x0d, 0, 0xbe, 0xef, 0, 0}).bits, kIpOptQs);  // fills the area
  EXPECT_TRUE(
      parse({25, 7, 0x0d, 0, 0xbe, 0xef, 0, 0}).p.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));
}

TEST(Ipv4Options, Cipso) {
  // DOI 1, tag 1 of length 4 with a zero alignment octet.
  EXPECT_EQ(parse({134, 10, 0, 0, 0, 1, 1, 4, 0, 5, 0, 0, 0, 0, 0, 0}).bits,
            kIpOptCipso | kIpOptEol);
  // Reserved tag type 0.
  EXPECT_TRUE(parse({134, 10, 0, 0, 0, 1, 0, 4, 0, 5, 0, 0, 0, 0, 0, 0})
                  .p.has_event(DecodeEvent::IPV4_OPT_MALFORMED));
  // Tag longer than the option.
  EXPECT_TRUE(parse({134, 10, 0, 0, 0, 1, 1, 9, 0, 5, 0, 0, 0, 0, 0, 0})
                  .p.has_event(DecodeEvent::IPV4_OPT_MALFORMED));
}

TEST(Ipv4Options, DuplicateIsReportedFirstKept) {
  Result r = parse({148, 4, 0, 0, 148, 4, 0, 0});
  EXPECT_EQ(r.bits, kIpOptRtralt);
  EXPECT_TRUE(r.p.has_event(DecodeEvent::IPV4_OPT_DUPLICATE));
}

TEST(Ipv4Options, UnknownTypeIsSkipped) {
  Result r = parse({200, 4, 0, 0, 148, 4, 0, 0});
  EXPECT_TRUE(r.p.has_event(DecodeEvent::IPV4_OPT_INVALID));
  EXPECT_EQ(r.bits, kIpOptRtralt);
}

TEST(Ipv4Options, LengthBelowTwoStopsTheWalk) {
  Result r = parse({200, 1, 148, 4, 0, 0, 0, 0});
  EXPECT_TRUE(r.p.has_event(DecodeEvent::IPV4_OPT_INVALID_LEN));
  EXPECT_EQ(r.bits, 0);
}

TEST(Ipv4Options, LoneTypeOctetAtTheEnd) {
  Result r = parse({1, 1, 1, 1, 1, 1, 1, 7});
  EXPECT_TRUE(r.p.has_event(DecodeEvent::IPV4_OPT_EOL_REQUIRED));
  EXPECT_EQ(r.bits, kIpOptNop);
}

TEST(Ipv4Options, KeywordNamesMapToBits) {
  uint16_t all = 0;
  for (const auto& n : kIpv4OptNames) {
    EXPECT_EQ(all & n.bit, 0) << n.name;
    all |= n.bit;
  }
  EXPECT_EQ(kIpv4OptNames[8].name, "satid");
  EXPECT_EQ(kIpv4OptNames[8].bit, kIpOptSid);
}

}  // namespace
}  // namespace nsm4
