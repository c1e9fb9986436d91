#include "app/dns/dns_message.h"

#include <gtest/gtest.h>

#include <string>

#include "agent/app/dns/dns_builder.h"

namespace nsm4::app::dns {
namespace {

using test::MsgBuilder;

ParseStatus parse(const MsgBuilder& b, Message& m, const ParseLimits& l = {}) {
  return parse_message(b.bytes, m, l);
}

TEST(DnsMessage, ParsesQuestion) {
  MsgBuilder b;
  b.header(0x8d32, 0x0120, 1).question("www.suricata-ids.org", 1);
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  EXPECT_EQ(m.header.id, 0x8d32);
  EXPECT_EQ(m.header.flags, 0x0120);
  ASSERT_EQ(m.questions.size(), 1u);
  EXPECT_EQ(m.questions[0].name.value, "www.suricata-ids.org");
  EXPECT_EQ(m.questions[0].rrtype, 1);
  EXPECT_EQ(m.questions[0].rrclass, 1);
  EXPECT_FALSE(m.is_response());
}

TEST(DnsMessage, FollowsCompressionPointers) {
  MsgBuilder b;
  b.header(1, 0x8180, 1, 3).question("www.suricata-ids.org", 1);
  b.ptr(12).rr(5, 3544, 2).ptr(16);  // CNAME -> suricata-ids.org (offset of "suricata-ids")
  const uint16_t cname_owner = static_cast<uint16_t>(b.size());
  b.ptr(16).rr(1, 244, 4).u32(0xc0004e18);
  // A name made of a label and a pointer to a pointer.
  b.labels("x", false).ptr(cname_owner).rr(1, 1, 4).u32(0x01020304);
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  ASSERT_EQ(m.answers.size(), 3u);
  EXPECT_EQ(m.answers[0].name.value, "www.suricata-ids.org");
  EXPECT_EQ(m.answers[0].kind, RdataKind::kName);
  EXPECT_EQ(m.answers[0].target.value, "suricata-ids.org");
  EXPECT_EQ(m.answers[1].name.value, "suricata-ids.org");
  EXPECT_EQ(m.answers[1].bytes, std::string("\xc0\x00\x4e\x18", 4));
  EXPECT_EQ(m.answers[2].name.value, "x.suricata-ids.org");
  EXPECT_EQ(m.name_flags, 0);
}

TEST(DnsMessage, SelfPointerWithoutPivotIsMalformed) {
  MsgBuilder b;
  b.header(1, 0x0100, 1).ptr(12).u16(1).u16(1);
  Message m;
  EXPECT_EQ(parse(b, m), ParseStatus::kMalformed);
  EXPECT_EQ(m.name_flags, 0);  // flags of a failed name are not kept
}

TEST(DnsMessage, SelfPointerAfterPivotIsFlaggedLoop) {
  MsgBuilder b;
  b.header(1, 0x0100, 1).ptr(14).ptr(14).u16(1).u16(1);
  // Question name at 12 points to 14, which points at itself.
  Message m;
  // The question name ends after the first pointer: type/class are read at 14.
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  EXPECT_TRUE(m.name_flags & kNameInfiniteLoop);
}

TEST(DnsMessage, PointerCycleStopsAtLabelLimit) {
  MsgBuilder b;
  b.header(1, 0x0100, 1).ptr(18).u16(1).u16(1);  // 12 -> 18
  b.labels("ab", false).ptr(18);                 // 18: "ab" then -> 18: a cycle
  Message m;
  ParseLimits limits;
  limits.max_labels = 10;
  ASSERT_EQ(parse(b, m, limits), ParseStatus::kOk);
  EXPECT_TRUE(m.name_flags & kNameLabelLimit);
  EXPECT_TRUE(m.name_flags & kNameTruncated);
  EXPECT_TRUE(m.questions[0].name.truncated);
  EXPECT_EQ(m.questions[0].name.value.substr(0, 6), "ab.ab.");
}

TEST(DnsMessage, LabelLimitWithoutPointerIsMalformed) {
  MsgBuilder b;
  b.header(1, 0x0100, 1);
  for (int i = 0; i < 20; ++i) b.labels("a", false);
  b.u8(0).u16(1).u16(1);
  Message m;
  ParseLimits limits;
  limits.max_labels = 10;
  EXPECT_EQ(parse(b, m, limits), ParseStatus::kMalformed);
  limits.max_labels = 20;
  EXPECT_EQ(parse(b, m, limits), ParseStatus::kOk);
}

TEST(DnsMessage, LongNameIsTruncatedAndParsingContinues) {
  MsgBuilder b;
  b.header(1, 0x0100, 1);
  for (int i = 0; i < 30; ++i) b.labels(std::string(60, 'a'), false);
  b.u8(0).u16(28).u16(1);
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  EXPECT_EQ(m.questions[0].name.value.size(), 1025u);
  EXPECT_TRUE(m.questions[0].name.truncated);
  EXPECT_EQ(m.questions[0].rrtype, 28);
  EXPECT_TRUE(m.name_flags & kNameTruncated);
}

TEST(DnsMessage, RejectsReservedLabelTypesAndFarPointers) {
  for (uint8_t lead : {uint8_t{0x40}, uint8_t{0x80}}) {
    MsgBuilder b;
    b.header(1, 0x0100, 1).u8(lead).u8(0).u16(1).u16(1);
    Message m;
    EXPECT_EQ(parse(b, m), ParseStatus::kMalformed);
  }
  MsgBuilder b;
  b.header(1, 0x0100, 1).ptr(0x3fff).u16(1).u16(1);
  Message m;
  EXPECT_EQ(parse(b, m), ParseStatus::kMalformed);
}

TEST(DnsMessage, HeaderPlausibility) {
  Header h;
  h.flags = 0x0100;
  h.questions = 1;
  EXPECT_TRUE(header_plausible(h, 17));
  h.questions = 0;
  EXPECT_FALSE(header_plausible(h, 12));  // a request without question
  h.flags = 0x8180;
  EXPECT_TRUE(header_plausible(h, 12));   // FORMERR-style empty response
  EXPECT_FALSE(header_plausible(h, 13));  // no records but trailing bytes
  h.answers = 100;
  EXPECT_FALSE(header_plausible(h, 150));  // 2 bytes per record at least
  Message m;
  std::vector<uint8_t> short_msg = {0, 1, 1, 0, 0, 1};
  EXPECT_EQ(parse_message(short_msg, m), ParseStatus::kBadHeader);
}

TEST(DnsMessage, DecodesEachRdataKind) {
  MsgBuilder b;
  b.header(7, 0x8180, 1, 11).question("example.com", 255);
  b.ptr(12).rr(28, 1, 16).u32(0x20010db8).u32(0).u32(0).u32(1);               // AAAA
  b.ptr(12).rr(2, 1, 2).ptr(12);                                              // NS
  b.ptr(12).rr(12, 1, 2).ptr(12);                                             // PTR
  b.ptr(12).rr(15, 1, 4).u16(10).ptr(12);                                     // MX
  b.ptr(12).rr(16, 1, 8).u8(3).raw("abc").u8(3).raw("def");                   // TXT, 2 strings
  b.ptr(12).rr(33, 1, 8).u16(20).u16(1).u16(5060).ptr(12);                    // SRV
  b.ptr(12).rr(44, 1, 6).u8(1).u8(1).u32(0xdeadbeef);                         // SSHFP
  b.ptr(12).rr(10, 1, 3).raw("a\x01z");                                       // NULL
  b.ptr(12).rr(6, 1, 24).ptr(12).ptr(12).u32(1).u32(2).u32(3).u32(4).u32(5);  // SOA
  b.ptr(12).rr(99, 1, 2).raw("xy");                                           // SPF: raw
  b.ptr(12).rr(41, 1, 9).u16(10).u16(5).raw("12345");                         // OPT
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  ASSERT_EQ(m.answers.size(), 11u);
  EXPECT_EQ(m.answers[0].kind, RdataKind::kAddress);
  EXPECT_EQ(m.answers[0].bytes.size(), 16u);
  for (int i : {1, 2, 3}) {
    EXPECT_EQ(m.answers[i].kind, RdataKind::kName);
    EXPECT_EQ(m.answers[i].target.value, "example.com");
  }
  ASSERT_EQ(m.answers[4].txt.size(), 2u);
  EXPECT_EQ(m.answers[4].txt[1], "def");
  EXPECT_EQ(m.answers[5].srv.port, 5060);
  EXPECT_EQ(m.answers[5].srv.priority, 20);
  EXPECT_EQ(m.answers[5].srv.target.value, "example.com");
  EXPECT_EQ(m.answers[6].sshfp.algo, 1);
  EXPECT_EQ(m.answers[6].sshfp.fingerprint, std::string("\xde\xad\xbe\xef", 4));
  EXPECT_EQ(m.answers[7].bytes, std::string("a\x01z", 3));
  EXPECT_EQ(m.answers[8].soa.mname.value, "example.com");
  EXPECT_EQ(m.answers[8].soa.minimum, 5u);
  EXPECT_EQ(m.answers[9].kind, RdataKind::kUnknown);
  EXPECT_EQ(m.answers[9].bytes, "xy");
  ASSERT_EQ(m.answers[10].opt.size(), 1u);
  EXPECT_EQ(m.answers[10].opt[0].code, 10);
  EXPECT_EQ(m.answers[10].opt[0].data, "12345");
}

TEST(DnsMessage, EmptyRdataIsAccepted) {
  MsgBuilder b;
  b.header(1, 0x2800, 1, 0, 1).question("ad.nwra.com", 6);
  b.labels("otter", false).ptr(12).rr(255, 0, 0, 255);
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  ASSERT_EQ(m.authorities.size(), 1u);
  EXPECT_EQ(m.authorities[0].kind, RdataKind::kUnknown);
  EXPECT_EQ(m.authorities[0].name.value, "otter.ad.nwra.com");
}

TEST(DnsMessage, BadRdataInAnswersIsMalformed) {
  MsgBuilder b;
  b.header(1, 0x8180, 1, 1).question("a.b", 1);
  b.ptr(12).rr(44, 1, 1).u8(1);  // SSHFP needs 2 bytes
  Message m;
  EXPECT_EQ(parse(b, m), ParseStatus::kMalformed);
}

TEST(DnsMessage, BadAuthoritiesAndAdditionalsAreFlagged) {
  MsgBuilder b;
  b.header(1, 0x8180, 1, 1, 1, 1).question("a.b", 33);
  b.ptr(12).rr(1, 1, 4).u32(1);
  b.ptr(12).rr(33, 1, 3).u16(1).u8(0);  // SRV too short
  b.u8(0).rr(41, 0, 0, 512);
  Message m;
  ASSERT_EQ(parse(b, m), ParseStatus::kOk);
  EXPECT_EQ(m.answers.size(), 1u);
  EXPECT_TRUE(m.invalid_authorities);
  EXPECT_TRUE(m.authorities.empty());
  EXPECT_FALSE(m.invalid_additionals);  // not tried after bad authorities
  EXPECT_TRUE(m.additionals.empty());

  MsgBuilder c;
  c.header(1, 0x8180, 1, 1, 0, 2).question("a.b", 33);
  c.ptr(12).rr(1, 1, 4).u32(1);
  c.u8(0).rr(41, 0, 0, 512);
  c.u8(0).rr(41, 0, 6, 512).u16(3).u16(9).u16(0);  // option longer than rdata
  ASSERT_EQ(parse(c, m), ParseStatus::kOk);
  EXPECT_TRUE(m.invalid_additionals);
  EXPECT_TRUE(m.additionals.empty());
}

TEST(DnsMessage, TruncationAtEveryByteNeverSucceedsFalsely) {
  MsgBuilder b;
  b.header(9, 0x8180, 1, 2, 1, 1).question("www.example.com", 1);
  b.ptr(12).rr(5, 1, 4).labels("w", false).ptr(16);
  b.ptr(12).rr(1, 1, 4).u32(0x7f000001);
  b.ptr(16).rr(6, 1, 24).ptr(12).ptr(12).u32(1).u32(2).u32(3).u32(4).u32(5);
  b.u8(0).rr(41, 0, 0, 512);
  Message full;
  ASSERT_EQ(parse(b, full), ParseStatus::kOk);
  ASSERT_EQ(full.additionals.size(), 1u);
  for (size_t n = 0; n < b.size(); ++n) {
    std::vector<uint8_t> cut(b.bytes.begin(), b.bytes.begin() + static_cast<long>(n));
    Message m;
    const ParseStatus s = parse_message(cut, m);
    // Cut inside questions/answers: not OK; later: the lost sections are flagged.
    if (s == ParseStatus::kOk) {
      EXPECT_TRUE(m.invalid_authorities || m.invalid_additionals) << "cut at " << n;
    }
  }
}

}  // namespace
}  // namespace nsm4::app::dns
