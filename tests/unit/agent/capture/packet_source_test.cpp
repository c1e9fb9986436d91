#include "capture/packet_source.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace nsm4 {
namespace {

// Writes a capture of `frames` with libpcap itself.
std::string write_pcap(const std::string& name, int dlt,
                       const std::vector<std::vector<uint8_t>>& frames) {
  auto path =
      (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()) + ".pcap"))
          .string();
  pcap_t* dead = pcap_open_dead(dlt, 65535);
  pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
  int i = 0;
  for (const auto& f : frames) {
    pcap_pkthdr h{};
    h.ts.tv_sec = 1700000000 + i++;
    h.caplen = h.len = static_cast<uint32_t>(f.size());
    pcap_dump(reinterpret_cast<u_char*>(d), &h, f.data());
  }
  pcap_dump_close(d);
  pcap_close(dead);
  return path;
}

// Ethernet + IPv4 + UDP 1000 -> `dport`, no payload.
std::vector<uint8_t> udp_frame(uint16_t dport) {
  std::vector<uint8_t> f = {0,
                            1,
                            2,
                            3,
                            4,
                            5,
                            6,
                            7,
                            8,
                            9,
                            10,
                            11,
                            0x08,
                            0x00,  // Ethernet
                            0x45,
                            0,
                            0,
                            28,
                            0,
                            1,
                            0,
                            0,
                            64,
                            17,
                            0,
                            0,  // IPv4
                            10,
                            0,
                            0,
                            1,
                            10,
                            0,
                            0,
                            2,  //
                            0x03,
                            0xe8,
                            static_cast<uint8_t>(dport >> 8),  // UDP
                            static_cast<uint8_t>(dport),
                            0,
                            8,
                            0,
                            0};
  return f;
}

TEST(PacketSource, ReadsEveryPacketOfAFile) {
  auto path = write_pcap("nsm4-src", DLT_EN10MB, {udp_frame(53), udp_frame(123), udp_frame(53)});
  CaptureOptions o;
  o.file = path;
  CaptureError err;
  auto src = PacketSource::open(o, err);
  ASSERT_TRUE(src) << err.message;
  EXPECT_EQ(src->datalink(), DLT_EN10MB);
  EXPECT_FALSE(src->live());
  int n = 0;
  const pcap_pkthdr* h;
  const uint8_t* d;
  while (src->next(h, d) == PacketSource::Next::kPacket) {
    EXPECT_EQ(h->caplen, 42u);
    ++n;
  }
  EXPECT_EQ(n, 3);
  std::filesystem::remove(path);
}

TEST(PacketSource, BpfFilterSelectsPackets) {
  auto path = write_pcap("nsm4-bpf", DLT_EN10MB, {udp_frame(53), udp_frame(123), udp_frame(53)});
  CaptureOptions o;
  o.file = path;
  o.bpf = "udp port 53";
  CaptureError err;
  auto src = PacketSource::open(o, err);
  ASSERT_TRUE(src) << err.message;
  int n = 0;
  const pcap_pkthdr* h;
  const uint8_t* d;
  while (src->next(h, d) == PacketSource::Next::kPacket) ++n;
  EXPECT_EQ(n, 2);
  std::filesystem::remove(path);
}

TEST(PacketSource, ErrorsSayWhatIsWrong) {
  CaptureError err;
  CaptureOptions missing;
  missing.file = "/nonexistent/x.pcap";
  EXPECT_FALSE(PacketSource::open(missing, err));
  EXPECT_EQ(err.kind, CaptureErrorKind::kOpen);
  EXPECT_NE(err.message.find("no such file"), std::string::npos);

  auto path = write_pcap("nsm4-badbpf", DLT_EN10MB, {udp_frame(53)});
  CaptureOptions bad;
  bad.file = path;
  bad.bpf = "udp port banana";
  EXPECT_FALSE(PacketSource::open(bad, err));
  EXPECT_EQ(err.kind, CaptureErrorKind::kFilter);
  std::filesystem::remove(path);

  auto wifi = write_pcap("nsm4-80211", 105 /* DLT_IEEE802_11 */, {udp_frame(53)});
  CaptureOptions w;
  w.file = wifi;
  EXPECT_FALSE(PacketSource::open(w, err));
  EXPECT_EQ(err.kind, CaptureErrorKind::kLinkType);
  EXPECT_NE(err.message.find("unsupported link type 105"), std::string::npos) << err.message;
  std::filesystem::remove(wifi);

  CaptureOptions nothing;
  EXPECT_FALSE(PacketSource::open(nothing, err));
}

TEST(PacketSource, TruncatedFileReportsAnErrorAfterTheGoodPackets) {
  auto path = write_pcap("nsm4-trunc", DLT_EN10MB, {udp_frame(53), udp_frame(53)});
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 10);
  CaptureOptions o;
  o.file = path;
  CaptureError err;
  auto src = PacketSource::open(o, err);
  ASSERT_TRUE(src);
  const pcap_pkthdr* h;
  const uint8_t* d;
  EXPECT_EQ(src->next(h, d), PacketSource::Next::kPacket);
  EXPECT_EQ(src->next(h, d), PacketSource::Next::kError);
  EXPECT_FALSE(src->error().empty());
  std::filesystem::remove(path);
}

TEST(PacketSource, IdleLiveInterfaceStillTimesOut) {
  // The periodic stats record (the heartbeat) is written from the read loop:
  // a quiet interface must still return control to it.
  if (geteuid() != 0) GTEST_SKIP() << "live capture needs root";
  CaptureOptions o;
  o.iface = "lo";
  o.bpf = "ether proto 0x88b5";  // an experimental EtherType: nothing matches
  CaptureError err;
  auto src = PacketSource::open(o, err);
  if (!src) GTEST_SKIP() << "cannot capture on lo: " << err.message;
  const pcap_pkthdr* hdr = nullptr;
  const uint8_t* data = nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  int timeouts = 0;
  while (timeouts < 3 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5))
    if (src->next(hdr, data) == PacketSource::Next::kTimeout) ++timeouts;
  EXPECT_EQ(timeouts, 3);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

}  // namespace
}  // namespace nsm4
