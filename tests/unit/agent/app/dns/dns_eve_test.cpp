#include "app/dns/dns_eve.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "agent/app/dns/dns_builder.h"

namespace nsm4::app::dns {
namespace {

using nlohmann::json;
using test::MsgBuilder;

Message parsed(const MsgBuilder& b) {
  Message m;
  EXPECT_EQ(parse_message(b.bytes, m), ParseStatus::kOk);
  return m;
}

json v3(const Message& m, uint64_t tx_id = 0, const EveOptions& opt = {}) {
  std::string out;
  JsonWriter w(out);
  uint64_t cut = 0;
  write_v3(w, m, tx_id, opt, cut);
  return json::parse(out);
}

TEST(DnsEve, Names) {
  EXPECT_EQ(rrtype_name(1), "A");
  EXPECT_EQ(rrtype_name(65), "HTTPS");
  EXPECT_EQ(rrtype_name(23), "NSAPPTR");
  EXPECT_EQ(rrtype_name(60), "CDNSKEY");
  EXPECT_EQ(rrtype_name(64), "64");
  EXPECT_EQ(rcode_name(0), "NOERROR");
  EXPECT_EQ(rcode_name(3), "NXDOMAIN");
  EXPECT_EQ(rcode_name(16), "BADVERS/BADSIG");
  EXPECT_EQ(rcode_name(12), "12");
}

TEST(DnsEve, BytesText) {
  EXPECT_EQ(bytes_text("plain"), "plain");
  EXPECT_EQ(bytes_text("caf\xc3\xa9"), "caf\xc3\xa9");  // valid UTF-8 kept
  EXPECT_EQ(bytes_text(std::string("VACKD\x03\xc5\xe9\x01", 9)), "VACKD\x03\\xc5\\xe9\x01");
}

TEST(DnsEve, Request) {
  MsgBuilder b;
  b.header(36146, 0x0120, 1, 0, 0, 1).question("www.suricata-ids.org", 1);
  b.u8(0).rr(41, 0, 0, 4096);  // OPT without options: not logged
  json j = v3(parsed(b), 4);
  EXPECT_EQ(j["version"], 3);
  EXPECT_EQ(j["type"], "request");
  EXPECT_EQ(j["tx_id"], 4);
  EXPECT_EQ(j["id"], 36146);
  EXPECT_EQ(j["flags"], "120");
  EXPECT_EQ(j["rd"], true);
  EXPECT_FALSE(j.contains("qr"));
  EXPECT_FALSE(j.contains("z"));
  EXPECT_FALSE(j.contains("aa"));
  EXPECT_EQ(j["opcode"], 0);
  EXPECT_EQ(j["rcode"], "NOERROR");
  EXPECT_EQ(j["queries"][0]["rrname"], "www.suricata-ids.org");
  EXPECT_EQ(j["queries"][0]["rrtype"], "A");
  EXPECT_FALSE(j.contains("answers"));
  EXPECT_FALSE(j.contains("additionals"));
}

TEST(DnsEve, ResponseWithGroupedAnswers) {
  MsgBuilder b;
  b.header(36146, 0x81a0, 1, 3).question("www.suricata-ids.org", 1);
  b.ptr(12).rr(5, 3544, 2).ptr(16);
  b.ptr(16).rr(1, 244, 4).u32(0xc0004e18);
  b.ptr(16).rr(1, 244, 4).u32(0xc0004e19);
  json j = v3(parsed(b));
  EXPECT_EQ(j["type"], "response");
  EXPECT_EQ(j["flags"], "81a0");
  EXPECT_EQ(j["qr"], true);
  EXPECT_EQ(j["rd"], true);
  EXPECT_EQ(j["ra"], true);
  EXPECT_EQ(j["answers"].size(), 3u);
  EXPECT_EQ(j["answers"][0]["rrname"], "www.suricata-ids.org");
  EXPECT_EQ(j["answers"][0]["rrtype"], "CNAME");
  EXPECT_EQ(j["answers"][0]["ttl"], 3544);
  EXPECT_EQ(j["answers"][0]["rdata"], "suricata-ids.org");
  EXPECT_EQ(j["answers"][1]["rdata"], "192.0.78.24");
  EXPECT_EQ(j["grouped"]["A"], json({"192.0.78.24", "192.0.78.25"}));
  EXPECT_EQ(j["grouped"]["CNAME"], json({"suricata-ids.org"}));
}

TEST(DnsEve, SoaSrvSshfpTxtNullOptAaaa) {
  MsgBuilder b;
  b.header(1, 0x8583, 1, 5, 1, 1).question("oisf.net", 255);
  b.ptr(12).rr(33, 1, 8).u16(20).u16(1).u16(5060).ptr(12);
  b.ptr(12).rr(44, 1, 6).u8(1).u8(2).u32(0x198c34a9);
  b.ptr(12).rr(16, 1, 8).u8(3).raw("abc").u8(3).raw("def");
  b.ptr(12).rr(10, 1, 4).raw("V\xc5\x01z");
  b.ptr(12).rr(28, 1, 16).u32(0x20010db8).u32(0).u32(0).u32(1);
  b.ptr(12).rr(6, 899, 24).ptr(12).ptr(12).u32(1).u32(7200).u32(900).u32(1209600).u32(86400);
  b.u8(0).rr(41, 0, 8, 512).u16(10).u16(4).u32(0xa1b2c3d4);
  json j = v3(parsed(b));
  EXPECT_EQ(j["aa"], true);
  EXPECT_EQ(j["rcode"], "NXDOMAIN");
  const json& a = j["answers"];
  ASSERT_EQ(a.size(), 6u);  // the TXT record's two strings are two entries
  EXPECT_EQ(a[0]["srv"]["priority"], 20);
  EXPECT_EQ(a[0]["srv"]["weight"], 1);
  EXPECT_EQ(a[0]["srv"]["port"], 5060);
  EXPECT_EQ(a[0]["srv"]["name"], "oisf.net");
  EXPECT_FALSE(a[0].contains("rdata"));
  EXPECT_EQ(a[1]["sshfp"]["algo"], 1);
  EXPECT_EQ(a[1]["sshfp"]["type"], 2);
  EXPECT_EQ(a[1]["sshfp"]["fingerprint"], "19:8c:34:a9");
  EXPECT_EQ(a[2]["rdata"], "abc");
  EXPECT_EQ(a[3]["rdata"], "def");
  EXPECT_EQ(a[4]["rdata"], "V\\xc5\x01z");
  EXPECT_EQ(a[5]["rdata"], "2001:0db8:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(j["grouped"]["TXT"], json({"abc", "def"}));
  EXPECT_EQ(j["grouped"]["SRV"][0]["port"], 5060);
  EXPECT_EQ(j["grouped"]["SSHFP"][0]["algo"], 1);
  EXPECT_EQ(j["grouped"]["NULL"][0], "V\\xc5\x01z");
  const json& soa = j["authorities"][0];
  EXPECT_EQ(soa["rrname"], "oisf.net");
  EXPECT_EQ(soa["rrtype"], "SOA");
  EXPECT_EQ(soa["ttl"], 899);
  EXPECT_EQ(soa["soa"]["mname"], "oisf.net");
  EXPECT_EQ(soa["soa"]["rname"], "oisf.net");
  EXPECT_EQ(soa["soa"]["serial"], 1);
  EXPECT_EQ(soa["soa"]["refresh"], 7200);
  EXPECT_EQ(soa["soa"]["retry"], 900);
  EXPECT_EQ(soa["soa"]["expire"], 1209600);
  EXPECT_EQ(soa["soa"]["minimum"], 86400);
  const json& opt = j["additionals"][0];
  EXPECT_EQ(opt["rrtype"], "OPT");
  EXPECT_EQ(opt["rrname"], "");
  EXPECT_EQ(opt["opt"][0]["code"], 10);
  EXPECT_EQ(opt["opt"][0]["data"], "a1b2c3d4");
}

TEST(DnsEve, FlagsZTcAndOpcode) {
  MsgBuilder b;
  b.header(1, 0x4b40, 1).question("x.y", 1);  // opcode 9, tc, rd, z
  json j = v3(parsed(b));
  EXPECT_EQ(j["flags"], "4b40");
  EXPECT_EQ(j["opcode"], 9);
  EXPECT_EQ(j["z"], true);
  EXPECT_EQ(j["tc"], true);
  EXPECT_EQ(j["rd"], true);
  EXPECT_FALSE(j.contains("ra"));
}

TEST(DnsEve, UnknownTypeHasNoRdataAndNoGroup) {
  MsgBuilder b;
  b.header(1, 0x8180, 1, 1).question("x.y", 64);
  b.ptr(12).rr(64, 1, 3).raw("abc");
  json j = v3(parsed(b));
  EXPECT_EQ(j["queries"][0]["rrtype"], "64");
  EXPECT_EQ(j["answers"][0]["rrtype"], "64");
  EXPECT_FALSE(j["answers"][0].contains("rdata"));
  EXPECT_TRUE(j["grouped"].empty());
}

TEST(DnsEve, MaxRecordsCutsAndCounts) {
  MsgBuilder b;
  b.header(1, 0x8180, 1, 3).question("x.y", 1);
  for (uint32_t i = 0; i < 3; ++i) b.ptr(12).rr(1, 1, 4).u32(i);
  EveOptions opt;
  opt.max_records = 2;
  std::string out;
  JsonWriter w(out);
  uint64_t cut = 0;
  write_v3(w, parsed(b), 0, opt, cut);
  json j = json::parse(out);
  EXPECT_EQ(j["answers"].size(), 2u);
  EXPECT_EQ(j["grouped"]["A"].size(), 2u);
  EXPECT_EQ(cut, 1u);
}

TEST(DnsEve, Version2QueryAndAnswer) {
  MsgBuilder q;
  q.header(39372, 0x0140, 1).question("google.com", 16);
  std::string out;
  JsonWriter w(out);
  write_v2_query(w, parsed(q), 0, 3);
  json j = json::parse(out);
  EXPECT_EQ(j["type"], "query");
  EXPECT_EQ(j["id"], 39372);
  EXPECT_EQ(j["rrname"], "google.com");
  EXPECT_EQ(j["rrtype"], "TXT");
  EXPECT_EQ(j["tx_id"], 3);
  EXPECT_EQ(j["z"], true);
  EXPECT_EQ(j["opcode"], 0);
  EXPECT_FALSE(j.contains("version"));

  MsgBuilder a;
  a.header(28243, 0x8180, 1, 1).question("google.com", 16);
  a.ptr(12).rr(16, 3217, 36).u8(35).raw("v=spf1 include:_spf.google.com ~all");
  std::string out2;
  JsonWriter w2(out2);
  uint64_t cut = 0;
  write_v2_answer(w2, parsed(a), {}, cut);
  json k = json::parse(out2);
  EXPECT_EQ(k["version"], 2);
  EXPECT_EQ(k["type"], "answer");
  EXPECT_EQ(k["rrname"], "google.com");
  EXPECT_EQ(k["rrtype"], "TXT");
  EXPECT_EQ(k["rcode"], "NOERROR");
  EXPECT_EQ(k["flags"], "8180");
  EXPECT_EQ(k["answers"][0]["rdata"], "v=spf1 include:_spf.google.com ~all");
  EXPECT_EQ(k["grouped"]["TXT"][0], "v=spf1 include:_spf.google.com ~all");
}

}  // namespace
}  // namespace nsm4::app::dns
