#include "ingest/eve_line_scanner.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

namespace nsm4::collector {
namespace {

StoredEvent scan_ok(std::string_view line) {
  StoredEvent ev;
  std::string error;
  EXPECT_TRUE(scan_eve_line(line, ev, error)) << line << " -> " << error;
  return ev;
}

std::string scan_error(std::string_view line) {
  StoredEvent ev;
  std::string error;
  EXPECT_FALSE(scan_eve_line(line, ev, error)) << line;
  return error;
}

TEST(EveLineScanner, ExtractsAlertFields) {
  const StoredEvent ev = scan_ok(
      R"({"timestamp":"2026-01-02T03:04:05.000001+0000","flow_id":1,"event_type":"alert",)"
      R"("src_ip":"10.0.0.1","src_port":1,"dest_ip":"2001:0db8:0000::0001","proto":"TCP",)"
      R"("community_id":"1:LQU9qZlK+B5F3KDmev6m5PMibrg=","alert":{"action":"allowed","gid":1,)"
      R"("signature_id":2100498,"rev":7,"signature":"GPL ATTACK_RESPONSE id check returned root",)"
      R"("category":"Potentially Bad Traffic","severity":2,"metadata":{"x":[1,2,{"y":null}]}},)"
      R"("payload_printable":"uid=0 root"})");
  EXPECT_EQ(ev.ts_us, int64_t{1767323045} * 1'000'000 + 1);
  EXPECT_EQ(ev.event_type, "alert");
  EXPECT_EQ(ev.severity, 2);
  EXPECT_EQ(ev.sid, 2100498);
  EXPECT_EQ(ev.signature, "GPL ATTACK_RESPONSE id check returned root");
  EXPECT_EQ(ev.category, "Potentially Bad Traffic");
  EXPECT_EQ(ev.src_ip, "10.0.0.1");
  EXPECT_EQ(ev.dest_ip, "2001:db8::1");  // normalised
  EXPECT_EQ(ev.community_id, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  EXPECT_TRUE(ev.json.empty());  // the caller keeps the line
}

TEST(EveLineScanner, OnlyTopLevelAndAlertKeysAreExtracted) {
  const StoredEvent ev =
      scan_ok(R"({"event_type":"dns","dns":{"src_ip":"1.2.3.4","severity":1},)"
              R"("signature":"x","metadata":{"alert":{"severity":1}},"src_ip":"not an ip"})");
  EXPECT_EQ(ev.event_type, "dns");
  EXPECT_EQ(ev.src_ip, "");
  EXPECT_EQ(ev.severity, 0);
  EXPECT_EQ(ev.signature, "");
}

TEST(EveLineScanner, DecodesEscapesInExtractedStrings) {
  const StoredEvent ev = scan_ok(
      R"({"event_\u0074ype":"alert","alert":{"signature":"a \"quoted\" \u00e9 \ud83d\ude00 \\ end",)"
      R"("category":"tab\there"}})");
  EXPECT_EQ(ev.event_type, "alert");
  EXPECT_EQ(ev.signature, "a \"quoted\" \xC3\xA9 \xF0\x9F\x98\x80 \\ end");
  EXPECT_EQ(ev.category, "tab\there");
}

TEST(EveLineScanner, EscapedTimestampAndAddressAreDecodedFirst) {
  // "\u0030" is '0' and "\u002e" is '.': the text is read after decoding.
  const StoredEvent ev =
      scan_ok(R"({"timestamp":"2026-01-02T03:04:05.00000\u0031+0000","event_type":"flow",)"
              R"("src_ip":"10.0.0\u002e1","dest_ip":"::\u0031"})");
  const StoredEvent plain = scan_ok(
      R"({"timestamp":"2026-01-02T03:04:05.000001+0000","event_type":"flow","src_ip":"10.0.0.1"})");
  EXPECT_EQ(ev.ts_us, plain.ts_us);
  EXPECT_EQ(ev.src_ip, "10.0.0.1");
  EXPECT_EQ(ev.dest_ip, "::1");
}

TEST(EveLineScanner, TheLastTimestampKeyCounts) {
  const StoredEvent good_last = scan_ok(
      R"({"timestamp":"bad","event_type":"flow","timestamp":"2026-01-02T03:04:05.000001+0000"})");
  const StoredEvent plain =
      scan_ok(R"({"timestamp":"2026-01-02T03:04:05.000001+0000","event_type":"flow"})");
  EXPECT_EQ(good_last.ts_us, plain.ts_us);
  EXPECT_EQ(scan_error(R"({"timestamp":"2026-01-02T03:04:05Z","event_type":"x","timestamp":"no"})"),
            "timestamp \"no\" is not an RFC 3339 time");
}

TEST(EveLineScanner, LeavesTimestampAloneWhenAbsent) {
  StoredEvent ev;
  ev.ts_us = 77;
  std::string error;
  ASSERT_TRUE(scan_eve_line(R"({"event_type":"flow"})", ev, error));
  EXPECT_EQ(ev.ts_us, 77);
}

TEST(EveLineScanner, NonIntegralSeverityIsIgnored) {
  const StoredEvent ev =
      scan_ok(R"({"event_type":"alert","alert":{"severity":1.5,"signature_id":"12"}})");
  EXPECT_EQ(ev.severity, 0);
  EXPECT_EQ(ev.sid, 0);
}

TEST(EveLineScanner, PreciseErrors) {
  EXPECT_EQ(scan_error("[1,2]"), "not a JSON object");
  EXPECT_EQ(scan_error("\"text\""), "not a JSON object");
  EXPECT_EQ(scan_error(R"({"timestamp":"2026-01-02T03:04:05Z"})"), "no event_type");
  EXPECT_EQ(scan_error(R"({"event_type":""})"), "event_type is empty");
  EXPECT_EQ(scan_error(R"({"event_type":7})"), "event_type is not a string at byte 15");
  EXPECT_EQ(scan_error(R"({"event_type":"x","timestamp":"yesterday"})"),
            "timestamp \"yesterday\" is not an RFC 3339 time");
  EXPECT_EQ(scan_error(R"({"event_type":"x",})"), "not JSON: expected a string key at byte 19");
  EXPECT_EQ(scan_error(R"({"event_type":"x"} {})"),
            "not JSON: trailing characters after the object at byte 20");
  EXPECT_EQ(scan_error(R"({"event_type":"x)"), "not JSON: unterminated string at byte 17");
  EXPECT_EQ(scan_error("{\"event_type\":\"a\x01\"}"),
            "not JSON: control character in a string at byte 17");
  EXPECT_EQ(scan_error("{\"event_type\":\"\xC3\x28\"}"), "not JSON: invalid UTF-8 at byte 16");
  EXPECT_EQ(scan_error(R"({"a":tru})"), "not JSON: unexpected 't' at byte 6");
  EXPECT_EQ(scan_error(R"({"a":01})"), "not JSON: expected ',' or '}' at byte 7");
  EXPECT_EQ(scan_error(R"({"a":"\ud800"})"),
            "not JSON: high surrogate not followed by a low surrogate at byte 13");
  EXPECT_EQ(scan_error(""), "not JSON: empty line at byte 1");
  EXPECT_EQ(scan_error(R"({"event_type":"x","n":1e400})"),
            "not JSON: number out of range at byte 23");
  scan_ok(R"({"event_type":"x","n":1e-400,"m":-0.0e0,"i":123456789012345678901234567890})");
  // "not JSON" wins over a field of the wrong type earlier in the line.
  EXPECT_EQ(scan_error(R"({"event_type":1,"x":})"), "not JSON: unexpected '}' at byte 21");
}

TEST(EveLineScanner, NestingIsBounded) {
  std::string deep = R"({"event_type":"x","a":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  StoredEvent ev;
  std::string error;
  EXPECT_FALSE(scan_eve_line(deep, ev, error, EveScanOptions{64}));
  EXPECT_EQ(error.rfind("nesting deeper than 64 at byte", 0), 0u) << error;
  EXPECT_TRUE(scan_eve_line(deep, ev, error, EveScanOptions{128})) << error;
}

TEST(EveLineScanner, NormalisesAddresses) {
  EXPECT_EQ(normalise_ip("192.168.001.1"), "");  // inet_pton refuses leading zeros
  EXPECT_EQ(normalise_ip("192.168.1.1"), "192.168.1.1");
  EXPECT_EQ(normalise_ip("FE80:0:0:0:0:0:0:1"), "fe80::1");
  EXPECT_EQ(normalise_ip("::ffff:10.0.0.1"), "::ffff:10.0.0.1");
  EXPECT_EQ(normalise_ip("example.com"), "");
  EXPECT_EQ(normalise_ip(std::string(100, '1')), "");
}

// The scanner's verdict on JSON validity must agree with nlohmann's parser on
// mutated EVE lines (seeded, so a failure reproduces).
TEST(EveLineScanner, AgreesWithNlohmannOnMutatedLines) {
  const std::vector<std::string> seeds = {
      R"({"timestamp":"2026-01-02T03:04:05.123456+0000","event_type":"alert","src_ip":"10.0.0.1","alert":{"signature_id":1,"severity":3,"signature":"caf\u00e9 \"x\"","category":"A"},"n":[1.5e3,-0,true,false,null,{}],"s":"\ud83d\ude00 é"})",
      R"({"event_type":"dns","dns":{"rrname":"a.example","answers":[{"rdata":"1.2.3.4","ttl":300}]},"e":-12.5E-3})",
  };
  const std::string alphabet =
      "{}[]\":,\\/ ubfnrt0123456789.-+eEaxyz\x01\x7f\x80\xc3\xa9\xed\xa0\xf4\x90";
  std::mt19937 rng(12345);
  int checked = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string line = seeds[round % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      const size_t pos = rng() % line.size();
      switch (rng() % 3) {
        case 0:
          line[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          line.erase(pos, 1 + rng() % 3);
          break;
        default:
          line.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
      }
    }
    StoredEvent ev;
    std::string error;
    const bool ok = scan_eve_line(line, ev, error);
    const bool scanner_says_json = ok || error.rfind("not JSON", 0) != 0;
    const bool nlohmann_says_json = nlohmann::json::accept(line);
    ASSERT_EQ(scanner_says_json, nlohmann_says_json) << line << "\n" << error;
    if (ok) {
      const auto j = nlohmann::json::parse(line);
      ASSERT_TRUE(j.is_object());
      ASSERT_EQ(j.at("event_type").get<std::string>(), ev.event_type) << line;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 50000);
}

}  // namespace
}  // namespace nsm4::collector
