// Buffer inspection: content modifiers, relative matching with backtracking,
// pcre, isdataat, byte_* (Suricata semantics).
#include "detect/inspect.h"

#include <gtest/gtest.h>

#include "detect/pcre.h"
#include "detect_test_util.h"

namespace nsm4::detect {
namespace {

// Whether the rule's pkt_data list matches `buf`.
bool matches(const std::string& options, const std::string& buf) {
  rules::RuleSet set = test::load("alert tcp any any -> any any (" + options + " sid:1;)");
  if (set.rules.size() != 1) {
    ADD_FAILURE() << "rule did not load: " << options;
    return false;
  }
  FlowbitNames names;
  CompiledRule r;
  std::string err;
  if (!compile_rule(set.rules[0], names, r, err)) {
    ADD_FAILURE() << err;
    return false;
  }
  auto scratch = make_pcre_scratch();
  InspectState st;
  st.pcre = scratch.get();
  for (const BufferProgram& p : r.programs)
    if (!inspect_buffer(p, reinterpret_cast<const uint8_t*>(buf.data()),
                        static_cast<uint32_t>(buf.size()), st))
      return false;
  return true;
}

TEST(InspectTest, ContentAndNocase) {
  EXPECT_TRUE(matches("content:\"abc\";", "xxabcxx"));
  EXPECT_FALSE(matches("content:\"ABC\";", "xxabcxx"));
  EXPECT_TRUE(matches("content:\"ABC\"; nocase;", "xxabcxx"));
  EXPECT_TRUE(matches("content:\"|41 42|C\";", "ABC"));
}

TEST(InspectTest, OffsetAndDepthCountFromTheStart) {
  EXPECT_TRUE(matches("content:\"abc\"; offset:2;", "xxabc"));
  EXPECT_FALSE(matches("content:\"abc\"; offset:3;", "xxabc"));
  EXPECT_TRUE(matches("content:\"abc\"; depth:5;", "xxabc"));
  EXPECT_FALSE(matches("content:\"abc\"; depth:4;", "xxabc"));
  // depth counts from offset.
  EXPECT_TRUE(matches("content:\"abc\"; offset:2; depth:3;", "xxabc"));
}

TEST(InspectTest, DistanceAndWithinAreRelativeToThePreviousMatch) {
  EXPECT_TRUE(matches("content:\"ab\"; content:\"cd\"; distance:2;", "ab..cd"));
  EXPECT_FALSE(matches("content:\"ab\"; content:\"cd\"; distance:3;", "ab..cd"));
  EXPECT_TRUE(matches("content:\"ab\"; content:\"cd\"; within:4;", "ab..cd"));
  EXPECT_FALSE(matches("content:\"ab\"; content:\"cd\"; within:3;", "ab..cd"));
  // Negative distance looks back.
  EXPECT_TRUE(matches("content:\"cd\"; content:\"ab\"; distance:-6; within:2;", "ab..cd"));
}

TEST(InspectTest, BacktracksToALaterOccurrence) {
  // The first "ab" is followed by "zz", the second by "cd".
  EXPECT_TRUE(matches("content:\"ab\"; content:\"cd\"; within:2;", "abzz abcd"));
  EXPECT_TRUE(matches("content:\"ab\"; pcre:\"/^cd/R\";", "abzz abcd"));
  EXPECT_TRUE(matches("content:\"ab\"; byte_test:1,=,0x63,0,relative;", "abz abc"));
}

TEST(InspectTest, DistanceBacktracksForANegatedContent) {
  // The first "fix" is followed by "and", the second is not.
  EXPECT_TRUE(matches("content:\"fix\"; content:!\"and\"; distance:0;", "fix and fix now"));
}

// The number of buffer programs of a one-rule set, -1 when it does not compile.
int program_count(const std::string& options) {
  rules::RuleSet set = test::load("alert tcp any any -> any any (" + options + " sid:1;)");
  FlowbitNames names;
  CompiledRule r;
  std::string err;
  if (set.rules.size() != 1 || !compile_rule(set.rules[0], names, r, err)) return -1;
  return static_cast<int>(r.programs.size());
}

TEST(InspectTest, UricontentKeepsItsModifiersAndRelativeKeywords) {
  // within/distance after uricontent backtrack over the previous uricontent.
  EXPECT_TRUE(
      matches("uricontent:\"big\"; uricontent:\"string\"; within:8;", "/big_big_big_string"));
  EXPECT_TRUE(matches("uricontent:\"fix\"; uricontent:!\"and\"; distance:0;", "/fix_and_fix_now"));
  EXPECT_TRUE(matches("pcre:/super/U; uricontent:\"nova\"; within:7;", "/super_duper_super_nova"));
  // Relative keywords go with the uricontent they follow, into the URI buffer.
  EXPECT_EQ(program_count("uricontent:\"fix\"; isdataat:!10,relative;"), 1);
  EXPECT_TRUE(matches("uricontent:\"fix\"; isdataat:!10,relative;", "/fix_this_and_fix_now"));
  EXPECT_EQ(program_count("uricontent:\"a\"; byte_extract:1,1,n,string,relative;"), 1);
  EXPECT_TRUE(
      matches("uricontent:\"this\"; byte_extract:1,2,one,string,dec,relative; "
              "uricontent:\"ring\"; distance:one;",
              "/this_b5ig_string_now"));
  // A relative pcre after a uricontent still moves with its own flags.
  EXPECT_EQ(program_count("uricontent:\"a\"; pcre:\"/b/UR\";"), 1);
}

TEST(InspectTest, NegatedContent) {
  EXPECT_TRUE(matches("content:!\"evil\";", "good"));
  EXPECT_FALSE(matches("content:!\"evil\";", "so evil"));
  EXPECT_TRUE(
      matches("content:\"GET\"; content:!\"evil\"; distance:0; within:5;", "GET /xxxxxevil"));
  EXPECT_FALSE(matches("content:\"GET\"; content:!\"evil\"; distance:0; within:9;", "GET /evil"));
}

TEST(InspectTest, StartsWithEndsWith) {
  EXPECT_TRUE(matches("content:\"ab\"; startswith;", "abc"));
  EXPECT_FALSE(matches("content:\"bc\"; startswith;", "abc"));
  EXPECT_TRUE(matches("content:\"bc\"; endswith;", "abc"));
  EXPECT_FALSE(matches("content:\"ab\"; endswith;", "abc"));
  EXPECT_TRUE(matches("content:\"abc\"; startswith; endswith;", "abc"));
}

TEST(InspectTest, IsDataAt) {
  EXPECT_TRUE(matches("content:\"ab\"; isdataat:2,relative;", "abcd"));
  EXPECT_FALSE(matches("content:\"ab\"; isdataat:3,relative;", "abcd"));
  EXPECT_TRUE(matches("content:\"ab\"; isdataat:!3,relative;", "abcd"));
  EXPECT_TRUE(matches("isdataat:3;", "abcd"));
  EXPECT_FALSE(matches("isdataat:4;", "abcd"));
}

TEST(InspectTest, PcreFlags) {
  EXPECT_TRUE(matches("pcre:\"/a.c/\";", "xabcx"));
  EXPECT_FALSE(matches("pcre:\"/A.C/\";", "xabcx"));
  EXPECT_TRUE(matches("pcre:\"/A.C/i\";", "xabcx"));
  EXPECT_FALSE(matches("pcre:\"/a.c/\";", "a\nc"));
  EXPECT_TRUE(matches("pcre:\"/a.c/s\";", "a\nc"));
  EXPECT_TRUE(matches("pcre:\"/^b/m\";", "a\nb"));
  EXPECT_FALSE(matches("pcre:\"/b/A\";", "ab"));
  EXPECT_TRUE(matches("pcre:!\"/evil/\";", "good"));
}

TEST(InspectTest, ByteTest) {
  const std::string buf(
      "\x00\x10"
      "123",
      5);
  EXPECT_TRUE(matches("byte_test:2,=,16,0;", buf));
  EXPECT_TRUE(matches("byte_test:2,>,15,0;", buf));
  EXPECT_FALSE(matches("byte_test:2,<,16,0;", buf));
  EXPECT_TRUE(matches("byte_test:2,!=,15,0;", buf));
  EXPECT_TRUE(matches("byte_test:2,=,0x1000,0,little;", buf));
  EXPECT_TRUE(matches("byte_test:3,=,123,2,string,dec;", buf));
  EXPECT_TRUE(matches("byte_test:2,&,0x10,0;", buf));
  EXPECT_FALSE(matches("byte_test:4,=,0,3;", buf));  // beyond the buffer
}

TEST(InspectTest, ByteJumpAndExtract) {
  // Length byte 3, then three bytes, then "END".
  const std::string buf(
      "\x03"
      "xyzEND",
      7);
  EXPECT_TRUE(matches("byte_jump:1,0; content:\"END\"; within:3;", buf));
  EXPECT_TRUE(matches("byte_extract:1,0,len; content:\"END\"; offset:len; depth:4;", buf));
  EXPECT_TRUE(matches("byte_extract:1,0,len; content:\"xyz\"; distance:0; within:len;", buf));
  EXPECT_FALSE(matches("byte_jump:1,0,post_offset 1; content:\"END\"; within:3;", buf));
  EXPECT_TRUE(matches("byte_jump:0,0,from_end,post_offset -3; content:\"END\"; within:3;", buf));
}

TEST(InspectTest, ByteMath) {
  const std::string buf(
      "\x02"
      "abc",
      4);
  EXPECT_TRUE(matches(
      "byte_math:bytes 1, offset 0, oper +, rvalue 1, result off; content:\"c\"; offset:off;",
      buf));
  EXPECT_FALSE(matches(
      "byte_math:bytes 1, offset 0, oper *, rvalue 2, result off; content:\"c\"; offset:off;",
      buf));
}

TEST(InspectTest, Bsize) {
  EXPECT_TRUE(matches("pkt_data; bsize:3;", "abc"));
  EXPECT_FALSE(matches("pkt_data; bsize:>3;", "abc"));
  EXPECT_TRUE(matches("pkt_data; bsize:2<>4;", "abc"));
  EXPECT_FALSE(matches("pkt_data; bsize:3<>4;", "abc"));
  // Snort 3's inclusive range.
  EXPECT_TRUE(matches("pkt_data; bsize:3<=>4;", "abc"));
  EXPECT_TRUE(matches("pkt_data; bsize:0<=>3;", "abc"));
  EXPECT_FALSE(matches("pkt_data; bsize:4<=>9;", "abc"));
}

}  // namespace
}  // namespace nsm4::detect

namespace nsm4::detect {
namespace {

// Random and truncated buffers against rules that read at computed offsets:
// never a crash or an out-of-bounds read (run under ASan in CI).
TEST(InspectTest, HostileBuffersAreSafe) {
  const char* rules[] = {
      "byte_extract:4,0,v; byte_jump:4,0,relative; content:\"a\"; distance:v; within:v;",
      "byte_extract:8,0,v; content:\"a\"; offset:v; depth:v; isdataat:v,relative;",
      "byte_jump:8,0,from_end,post_offset -9999; byte_test:8,>,0,-4,relative;",
      "byte_math:bytes 4, offset 0, oper <<, rvalue 63, result r; byte_test:1,=,1,r;",
      "content:\"a\"; content:\"b\"; distance:-65535; within:65535; pcre:\"/(a|b)*c/R\";",
      "byte_test:23,=,1,0,string,hex; byte_jump:23,1,string,oct,align,multiplier 65535;",
  };
  uint32_t seed = 12345;
  for (int round = 0; round < 300; ++round) {
    std::string buf;
    size_t n = round % 70;
    for (size_t i = 0; i < n; ++i) {
      seed = seed * 1103515245 + 12345;
      buf.push_back(
          static_cast<char>(round % 3 == 0 ? "ab0c9\xff"[(seed >> 16) % 6] : (seed >> 16) & 0xff));
    }
    for (const char* r : rules) matches(r, buf);  // the result does not matter
  }
}

}  // namespace
}  // namespace nsm4::detect
