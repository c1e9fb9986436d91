// Runs the decoder over every capture of the shared conformance suites: each
// link type must be supported, no packet may be undecodable except where the
// capture itself is broken on purpose, and (under the sanitizer build) no
// byte outside a packet may be read.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "decode/decoder.h"

namespace nsm4 {
namespace {
namespace fs = std::filesystem;

std::vector<fs::path> captures() {
  std::vector<fs::path> out;
  for (const char* suite : {"conformance/suite", "conformance/eve-suite", "community-id/pcaps"}) {
    const fs::path dir = fs::path(NSM4_SHARED_DIR) / suite;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".pcap" || ext == ".pcapng")) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct FileResult {
  bool opened = false;
  int datalink = -1;
  uint64_t packets = 0;
  uint64_t invalid = 0;
  DecodeStats stats;
};

FileResult decode_file(const fs::path& path) {
  FileResult r;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(path.c_str(), err);
  if (!pc) return r;
  r.opened = true;
  r.datalink = pcap_datalink(pc);
  if (!layer_for_datalink(r.datalink)) {
    pcap_close(pc);
    return r;
  }
  DecodeContext ctx;
  pcap_pkthdr* hdr;
  const u_char* data;
  while (pcap_next_ex(pc, &hdr, &data) == 1) {
    // A private copy, so that the sanitizer catches a read past caplen.
    std::vector<uint8_t> copy(data, data + hdr->caplen);
    Packet p;
    p.pcap_cnt = ++r.packets;
    p.data = copy.data();
    p.caplen = hdr->caplen;
    p.wirelen = hdr->len;
    p.datalink = r.datalink;
    decode_packet(ctx, p);
    if (p.invalid) ++r.invalid;
  }
  pcap_close(pc);
  r.stats = ctx.stats();
  return r;
}

TEST(Captures, EveryConformanceCaptureDecodes) {
  const auto files = captures();
  if (files.empty()) GTEST_SKIP() << "no captures under " << NSM4_SHARED_DIR;
  DecodeStats total;
  uint64_t invalid = 0;
  std::map<int, int> links;
  for (const auto& f : files) {
    const FileResult r = decode_file(f);
    ASSERT_TRUE(r.opened) << f;
    ASSERT_TRUE(layer_for_datalink(r.datalink)) << f << ": link type " << r.datalink;
    ++links[r.datalink];
    total.merge(r.stats);
    invalid += r.invalid;
    if (r.invalid)
      std::cout << "  " << f.parent_path().filename().string() << ": " << r.invalid << " of "
                << r.packets << " packets invalid\n";
  }
  std::cout << files.size() << " captures, " << total.pkts << " packets, " << invalid
            << " invalid, " << total.ipv4 << " IPv4, " << total.ipv6 << " IPv6\n";
  for (const auto& [dlt, n] : links) std::cout << "  link type " << dlt << ": " << n << " files\n";
  for (const auto& d : decoder_table())
    if (total.layers[static_cast<size_t>(d.layer)])
      std::cout << "  " << d.name << " headers: " << total.layers[static_cast<size_t>(d.layer)]
                << "\n";
  for (size_t i = 0; i < total.events.size(); ++i)
    if (total.events[i])
      std::cout << "  " << decode_event_name(static_cast<DecodeEvent>(i)) << ": " << total.events[i]
                << "\n";
  EXPECT_GT(total.ipv4, 0u);
  EXPECT_GT(total.ipv6, 0u);
  // A few captures carry deliberately broken packets; the rest must decode.
  EXPECT_LT(invalid * 1000, total.pkts) << "more than 0.1% of packets undecodable";
}

}  // namespace
}  // namespace nsm4
