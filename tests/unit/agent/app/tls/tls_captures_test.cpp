// Runs the TLS parser over the TLS captures of the conformance suite (with a
// minimal in-test TCP reassembly) and checks its EVE "tls" bodies against the
// tls.* values Suricata 8 wrote (test.json).
#include <gtest/gtest.h>
#include <pcap.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/tls/tls_parser.h"
#include "app/tls/tls_probe.h"

namespace nsm4::app::tls {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct Half {
  bool started = false;
  uint32_t next = 0;
  std::map<uint32_t, std::vector<uint8_t>> pending;  // out-of-order segments by seq
};

struct Conn {
  std::string client;  // "ip:port" of the side that sent the SYN (or spoke first)
  Half half[2];
  std::vector<uint8_t> first[2];  // bytes seen before the protocol was decided
  bool decided = false;
  std::unique_ptr<AppParser> parser;
};

// Delivers the in-order bytes of one TCP segment to `out`.
void reassemble(Half& h, uint32_t seq, bool syn, std::span<const uint8_t> payload,
                std::vector<uint8_t>& out) {
  if (syn) {
    h.started = true;
    h.next = seq + 1;
    return;
  }
  if (!h.started) {
    h.started = true;
    h.next = seq;
  }
  if (!payload.empty()) h.pending[seq].assign(payload.begin(), payload.end());
  for (auto it = h.pending.begin(); it != h.pending.end();) {
    int32_t d = static_cast<int32_t>(it->first - h.next);
    auto& data = it->second;
    if (d > 0) break;
    size_t skip = static_cast<size_t>(-d);
    if (skip < data.size()) {
      out.insert(out.end(), data.begin() + static_cast<long>(skip), data.end());
      h.next += static_cast<uint32_t>(data.size() - skip);
    }
    it = h.pending.erase(it);
  }
}

std::vector<json> run_capture(const fs::path& pcap_path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(pcap_path.c_str(), err);
  if (pc == nullptr) return {};
  int dlt = pcap_datalink(pc);
  std::map<std::string, Conn> conns;
  std::vector<json> logs;
  pcap_pkthdr* hdr;
  const u_char* pkt;
  while (pcap_next_ex(pc, &hdr, &pkt) == 1) {
    std::span<const uint8_t> b(pkt, hdr->caplen);
    if (dlt == DLT_EN10MB) {
      if (b.size() < 14) continue;
      uint16_t et = static_cast<uint16_t>(b[12] << 8 | b[13]);
      b = b.subspan(14);
      while (et == 0x8100 && b.size() >= 4) {
        et = static_cast<uint16_t>(b[2] << 8 | b[3]);
        b = b.subspan(4);
      }
    }
    if (dlt == DLT_NULL || dlt == DLT_LOOP) {
      if (b.size() < 4) continue;
      b = b.subspan(4);
    }
    if (b.empty()) continue;
    std::string src, dst;
    size_t l4 = 0;
    size_t ip_end = b.size();
    if ((b[0] >> 4) == 4 && b.size() >= 20) {
      if (b[9] != 6) continue;
      l4 = (b[0] & 0xf) * 4u;
      ip_end = std::min<size_t>(b.size(), static_cast<size_t>(b[2] << 8 | b[3]));
      src = std::to_string(b[12]) + "." + std::to_string(b[13]) + "." + std::to_string(b[14]) +
            "." + std::to_string(b[15]);
      dst = std::to_string(b[16]) + "." + std::to_string(b[17]) + "." + std::to_string(b[18]) +
            "." + std::to_string(b[19]);
    } else if ((b[0] >> 4) == 6 && b.size() >= 40) {
      if (b[6] != 6) continue;
      l4 = 40;
      ip_end = std::min<size_t>(b.size(), 40u + static_cast<size_t>(b[4] << 8 | b[5]));
      src = std::string(reinterpret_cast<const char*>(&b[8]), 16);
      dst = std::string(reinterpret_cast<const char*>(&b[24]), 16);
    } else {
      continue;
    }
    if (ip_end < l4 + 20) continue;
    auto tcp = b.subspan(l4, ip_end - l4);
    size_t thl = (tcp[12] >> 4) * 4u;
    if (thl < 20 || thl > tcp.size()) continue;
    src += ":" + std::to_string(tcp[0] << 8 | tcp[1]);
    dst += ":" + std::to_string(tcp[2] << 8 | tcp[3]);
    uint32_t seq = static_cast<uint32_t>(tcp[4]) << 24 | static_cast<uint32_t>(tcp[5]) << 16 |
                   static_cast<uint32_t>(tcp[6]) << 8 | tcp[7];
    uint8_t flags = tcp[13];
    bool syn = flags & 0x02, ack = flags & 0x10;
    std::string key = src < dst ? src + "|" + dst : dst + "|" + src;
    Conn& c = conns[key];
    if (c.client.empty()) c.client = (syn && ack) ? dst : src;
    int d = src == c.client ? 0 : 1;
    std::vector<uint8_t> data;
    reassemble(c.half[d], seq, syn, tcp.subspan(thl), data);
    if (data.empty()) continue;
    if (!c.decided) {
      c.first[d].insert(c.first[d].end(), data.begin(), data.end());
      Probe pr = probe(Dir::kToServer, c.first[0]);
      if (pr == Probe::kNeedMore) continue;
      c.decided = true;
      if (pr == Probe::kMatch) c.parser = make_parser(TlsConfig{});
      for (int k = 0; k < 2 && c.parser; ++k)
        c.parser->parse(k == 0 ? Dir::kToServer : Dir::kToClient, c.first[k], {});
    } else if (c.parser) {
      c.parser->parse(d == 0 ? Dir::kToServer : Dir::kToClient, data, {});
    }
    if (c.parser) {
      std::vector<AppLog> out;
      c.parser->take_logs(out, false);
      for (auto& l : out) logs.push_back(json::parse(l.body));
    }
  }
  pcap_close(pc);
  for (auto& [key, c] : conns) {
    if (!c.parser) continue;
    std::vector<AppLog> out;
    c.parser->take_logs(out, true);
    for (auto& l : out) logs.push_back(json::parse(l.body));
  }
  return logs;
}

// "tls.client_alpns[1]" looked up in a tls body.
const json* lookup(const json& body, const std::string& path) {
  const json* cur = &body;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find_first_of(".[", pos);
    std::string part = path.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    pos = end == std::string::npos ? path.size() : end;
    while (pos < path.size() && path[pos] == '[') {
      size_t close = path.find(']', pos);
      size_t i = std::stoul(path.substr(pos + 1, close - pos - 1));
      if (!cur->is_array() || i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
      pos = close + 1;
    }
    if (pos < path.size() && path[pos] == '.') ++pos;
  }
  return cur;
}

TEST(TlsCaptures, MatchSuricataTlsRecords) {
  fs::path suite = fs::path(NSM4_SHARED_DIR) / "conformance" / "eve-suite";
  if (!fs::is_directory(suite)) GTEST_SKIP() << suite << " is absent";
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(suite)) {
    fs::path tj = entry.path() / "test.json";
    if (!fs::exists(tj)) continue;
    json t = json::parse(std::ifstream(tj));
    std::vector<json> checks;
    for (const auto& c : t["checks"])
      if (c.contains("match") && c["match"].value("event_type", "") == "tls") checks.push_back(c);
    if (checks.empty()) continue;
    ++cases;
    std::vector<json> logs = run_capture(entry.path() / "input.pcap");
    for (const auto& c : checks) {
      int matched = 0;
      for (const auto& body : logs) {
        bool ok = true;
        for (const auto& [k, v] : c["match"].items()) {
          if (k.rfind("tls.", 0) != 0) continue;
          const json* got = lookup(body, k.substr(4));
          if (got == nullptr || *got != v) ok = false;
        }
        matched += ok ? 1 : 0;
      }
      EXPECT_EQ(matched, c.value("count", 1))
          << entry.path().filename() << " " << c["match"].dump() << "\nlogs:\n"
          << json(logs).dump(1);
    }
  }
  EXPECT_GT(cases, 0);
}

}  // namespace
}  // namespace nsm4::app::tls
