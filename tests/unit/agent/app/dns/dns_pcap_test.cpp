// Feeds the DNS payloads of a few conformance captures to the parsers and
// checks the EVE bodies against what Suricata 8 logged for them
// (../shared/conformance/eve-suite/<case>/test.json).
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/dns/dns_parser.h"

namespace nsm4::app::dns {
namespace {

using nlohmann::json;

struct Capture {
  std::vector<AppLog> logs;
  std::vector<AppEvent> events;
};

// Minimal Ethernet/loopback/raw, IPv4/IPv6 + UDP/TCP walk; port 53 decides the direction.
bool payload(const uint8_t* p, size_t n, int linktype, bool& tcp, Dir& dir,
             std::vector<uint8_t>& out) {
  size_t off = 0;
  if (linktype == DLT_EN10MB) {
    if (n < 14) return false;
    uint16_t et = static_cast<uint16_t>(p[12] << 8 | p[13]);
    off = 14;
    if (et == 0x8100 && n >= 18) {
      et = static_cast<uint16_t>(p[16] << 8 | p[17]);
      off = 18;
    }
  } else if (linktype == DLT_NULL) {
    off = 4;
  } else if (linktype != DLT_RAW) {
    return false;
  }
  if (n <= off) return false;
  const uint8_t* ip = p + off;
  size_t left = n - off;
  uint8_t proto = 0;
  size_t hl = 0;
  if ((ip[0] >> 4) == 4) {
    if (left < 20) return false;
    hl = static_cast<size_t>(ip[0] & 15) * 4;
    proto = ip[9];
    const size_t total = static_cast<size_t>(ip[2] << 8 | ip[3]);
    if (total < left) left = total;
  } else if ((ip[0] >> 4) == 6) {
    if (left < 40) return false;
    hl = 40;
    proto = ip[6];
  } else {
    return false;
  }
  if (left < hl + 8) return false;
  const uint8_t* l4 = ip + hl;
  const uint16_t sport = static_cast<uint16_t>(l4[0] << 8 | l4[1]);
  const uint16_t dport = static_cast<uint16_t>(l4[2] << 8 | l4[3]);
  size_t l4h = 0;
  if (proto == 17) {
    l4h = 8;
    tcp = false;
  } else if (proto == 6) {
    if (left < hl + 20) return false;
    l4h = static_cast<size_t>(l4[12] >> 4) * 4;
    tcp = true;
  } else {
    return false;
  }
  if (left < hl + l4h) return false;
  if (dport == 53) {
    dir = Dir::kToServer;
  } else if (sport == 53) {
    dir = Dir::kToClient;
  } else {
    return false;
  }
  out.assign(l4 + l4h, ip + left);
  return true;
}

bool read_case(const std::string& name, Capture& cap) {
  const std::string path =
      std::string(NSM4_SHARED_DIR) + "/conformance/eve-suite/" + name + "/input.pcap";
  if (!std::filesystem::exists(path)) return false;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(path.c_str(), err);
  if (pc == nullptr) return false;
  const int linktype = pcap_datalink(pc);
  DnsConfig cfg;
  auto udp = make_udp_parser(cfg);
  auto tcp = make_tcp_parser(cfg);
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  std::vector<uint8_t> pl;
  while (pcap_next_ex(pc, &hdr, &data) == 1) {
    bool is_tcp = false;
    Dir dir = Dir::kToServer;
    if (!payload(data, hdr->caplen, linktype, is_tcp, dir, pl) || pl.empty()) continue;
    AppParser& p = is_tcp ? *tcp : *udp;
    p.parse(dir, pl, Timestamp{});
    p.take_logs(cap.logs, false);
    p.take_events(cap.events);
    p.prune();
  }
  pcap_close(pc);
  return true;
}

#define LOAD_CASE(name, cap)                                                           \
  Capture cap;                                                                         \
  if (!read_case(name, cap)) GTEST_SKIP() << "no ../shared conformance capture " name; \
  ASSERT_FALSE(cap.logs.empty())

TEST(DnsPcap, UdpDig) {
  LOAD_CASE("dns__dns-udp-eve-dig", cap);
  ASSERT_EQ(cap.logs.size(), 2u);
  json q = json::parse(cap.logs[0].body);
  EXPECT_EQ(q["id"], 36146);
  EXPECT_EQ(q["tx_id"], 0);
  EXPECT_EQ(q["queries"][0]["rrname"], "www.suricata-ids.org");
  json r = json::parse(cap.logs[1].body);
  EXPECT_TRUE(cap.logs[1].from_server);
  EXPECT_EQ(r["flags"], "81a0");
  EXPECT_EQ(r["answers"][0]["rdata"], "suricata-ids.org");
  EXPECT_EQ(r["answers"][0]["ttl"], 3544);
  EXPECT_EQ(r["answers"][2]["rdata"], "192.0.78.25");
  EXPECT_EQ(r["grouped"]["A"][1], "192.0.78.25");
}

TEST(DnsPcap, NxdomainSoa) {
  LOAD_CASE("dns-eve-v2-udp-nxdomain-soa", cap);
  json r = json::parse(cap.logs.back().body);
  EXPECT_EQ(r["rcode"], "NXDOMAIN");
  const json& soa = r["authorities"][0];
  EXPECT_EQ(soa["rrname"], "oisf.net");
  EXPECT_EQ(soa["ttl"], 899);
  EXPECT_EQ(soa["soa"]["mname"], "ns-110.awsdns-13.com");
  EXPECT_EQ(soa["soa"]["rname"], "awsdns-hostmaster.amazon.com");
  EXPECT_EQ(soa["soa"]["expire"], 1209600);
}

TEST(DnsPcap, Sshfp) {
  LOAD_CASE("dns__dns-sshfp", cap);
  bool found = false;
  for (const AppLog& l : cap.logs) {
    json j = json::parse(l.body);
    if (!j.contains("answers")) continue;
    EXPECT_EQ(j["answers"][0]["rrname"], "anoncvs.netbsd.org");
    EXPECT_EQ(j["answers"][0]["sshfp"]["algo"], 1);
    EXPECT_EQ(j["answers"][0]["sshfp"]["fingerprint"],
              "19:8c:34:a9:2f:c0:b2:ab:1d:a5:2b:68:8c:2f:19:1d:2d:96:0c:09");
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST(DnsPcap, NullRdata) {
  LOAD_CASE("dns__dns-udp-null", cap);
  json r = json::parse(cap.logs.back().body);
  EXPECT_EQ(r["queries"][0]["rrtype"], "NULL");
  EXPECT_EQ(r["answers"][0]["rdata"], "VACKD\x03\\xc5\\xe9\x01");
}

TEST(DnsPcap, TcpAndEmptyData) {
  LOAD_CASE("dns__dns-tcp-www-google-com", cap);
  ASSERT_EQ(cap.logs.size(), 2u);
  EXPECT_EQ(json::parse(cap.logs[0].body)["type"], "request");
  EXPECT_EQ(json::parse(cap.logs[1].body)["type"], "response");
  LOAD_CASE("dns__dns-answer-emptydata", empty);
  EXPECT_EQ(empty.logs.size(), 2u);
  EXPECT_TRUE(empty.events.empty());
}

TEST(DnsPcap, InvalidOpcodeAndZBit) {
  LOAD_CASE("dns__dns-invalid-opcode", cap);
  ASSERT_EQ(cap.logs.size(), 2u);
  json r = json::parse(cap.logs[1].body);
  EXPECT_EQ(r["flags"], "c800");
  EXPECT_EQ(r["opcode"], 9);
  EXPECT_EQ(cap.logs[1].tx_id, 1u);
  ASSERT_EQ(cap.events.size(), 2u);
  EXPECT_EQ(cap.events[0].name, kEventInvalidOpcode);
  EXPECT_EQ(cap.events[1].tx_id, 1u);
  LOAD_CASE("dns__dns-z-bit", z);
  EXPECT_EQ(json::parse(z.logs[0].body)["z"], true);
  ASSERT_FALSE(z.events.empty());
  EXPECT_EQ(z.events[0].name, kEventZFlagSet);
}

TEST(DnsPcap, CorruptAdditionals) {
  LOAD_CASE("dns__dns-corrupt-additionals", cap);
  bool response = false;
  for (const AppLog& l : cap.logs) {
    json j = json::parse(l.body);
    if (j.contains("answers")) {
      EXPECT_EQ(j["answers"][0]["rrname"], "_sip._udp.sip.voice.google.com");
      response = true;
    }
  }
  EXPECT_TRUE(response);
  bool invalid_additionals = false;
  for (const AppEvent& e : cap.events) invalid_additionals |= e.name == kEventInvalidAdditionals;
  EXPECT_TRUE(invalid_additionals);
}

}  // namespace
}  // namespace nsm4::app::dns
