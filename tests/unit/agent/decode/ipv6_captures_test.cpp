// The IPv6, ICMPv6 and transport decoders on real captures: the IPv6 evasion
// cases of the conformance suite decode to the packets their rules expect
// (counts from the suite's test.json), and checksums computed over real
// traffic verify.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "decode/decoder.h"

namespace nsm4 {
namespace {
namespace fs = std::filesystem;

struct Scan {
  uint64_t packets = 0;
  uint64_t invalid = 0;
  uint64_t matching = 0;  // packets for which the predicate held
  DecodeStats stats;
};

// Decodes every packet of `file` (relative to the shared directory); returns
// nullopt-like empty Scan with packets == 0 when the file is absent.
Scan scan(const std::string& file, const std::function<bool(const Packet&)>& pred,
          ChecksumMode checksum = ChecksumMode::kOff) {
  Scan s;
  const fs::path path = fs::path(NSM4_SHARED_DIR) / file;
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* pc = pcap_open_offline(path.c_str(), err);
  if (!pc) return s;
  DecodeConfig cfg;
  cfg.checksum = checksum;
  DecodeContext ctx(cfg);
  pcap_pkthdr* hdr;
  const u_char* data;
  while (pcap_next_ex(pc, &hdr, &data) == 1) {
    std::vector<uint8_t> copy(data, data + hdr->caplen);  // exact size, for ASan
    Packet p;
    p.pcap_cnt = ++s.packets;
    p.data = copy.data();
    p.caplen = hdr->caplen;
    p.wirelen = hdr->len;
    p.datalink = pcap_datalink(pc);
    decode_packet(ctx, p);
    if (p.invalid) ++s.invalid;
    if (pred(p)) ++s.matching;
  }
  pcap_close(pc);
  s.stats = ctx.stats();
  return s;
}

bool icmpv6(const Packet& p, uint8_t type, int code = -1) {
  return p.l4 == Layer::kIcmpv6 && p.icmp_type == type && (code < 0 || p.icmp_code == code);
}

uint64_t event_count(const Scan& s, DecodeEvent e) {
  return s.stats.events[static_cast<size_t>(e)];
}

#define SKIP_IF_ABSENT(s, file) \
  if ((s).packets == 0) GTEST_SKIP() << "capture not available: " << NSM4_SHARED_DIR << "/" << file

TEST(Ipv6Captures, ExtensionHeaderFloodStillShowsTheParameterProblems) {
  // 35690 ICMPv6 packets behind an AH header; the rule counts 15 Parameter
  // Problem messages, code 1 (itype:4; icode:1).
  const std::string file = "conformance/suite/ipv6-evasion__ipv6-dos-with-ext-headers-5/input.pcap";
  const Scan s = scan(
      file, [](const Packet& p) { return icmpv6(p, 4, 1); }, ChecksumMode::kOn);
  SKIP_IF_ABSENT(s, file);
  EXPECT_EQ(s.matching, 15u);
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(s.stats.ipv6, s.packets);
  EXPECT_EQ(event_count(s, DecodeEvent::ICMPV6_CHECKSUM_INVALID), 0u);

  const Scan ah =
      scan(file, [](const Packet& p) { return (p.ipv6_exthdrs & kExtAh) && icmpv6(p, 128); });
  EXPECT_EQ(ah.matching, 35690u);
}

TEST(Ipv6Captures, RouterAdvertisementsWithZeroLifetime) {
  // ipv6-kill-router-gateway expects 4 alerts on RAs with lifetime 0.
  const std::string file = "conformance/suite/ipv6-evasion__ipv6-kill-router-gateway/input.pcap";
  const Scan s = scan(file, [](const Packet& p) {
    return icmpv6(p, 134) && p.nd.router_lifetime == 0 && p.payload_len >= 4 && p.payload[2] == 0 &&
           p.payload[3] == 0;
  });
  SKIP_IF_ABSENT(s, file);
  EXPECT_EQ(s.matching, 4u);
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(event_count(s, DecodeEvent::ICMPV6_ND_INVALID_HL), 0u);
  EXPECT_EQ(event_count(s, DecodeEvent::ICMPV6_ND_OPT_INVALID), 0u);
}

TEST(Ipv6Captures, PingsToMulticast) {
  const std::string file = "conformance/suite/ipv6-evasion__ipv6-rsmurf/input.pcap";
  const Scan s =
      scan(file, [](const Packet& p) { return icmpv6(p, 128) && p.dst.bytes[0] == 0xff; });
  SKIP_IF_ABSENT(s, file);
  EXPECT_EQ(s.matching, 1000u);
}

TEST(Ipv6Captures, MalformedFragmentsAreLeftToDefragmentation) {
  const std::string file = "conformance/suite/ipv6-evasion__ipv6-malformed-fragments-35/input.pcap";
  const Scan s = scan(file, [](const Packet& p) { return icmpv6(p, 4, 0); });
  SKIP_IF_ABSENT(s, file);
  EXPECT_EQ(s.matching, 1u);  // the Parameter Problem the rule alerts on
  EXPECT_EQ(s.invalid, 0u);
  const Scan frags =
      scan(file, [](const Packet& p) { return p.is_fragment && p.l4 == Layer::kCount; });
  EXPECT_EQ(frags.matching, 4u);  // frames 6 to 9
}

TEST(Ipv6Captures, CommunityIdCapturesHaveValidChecksums) {
  for (const char* file : {"community-id/pcaps/ipv6.pcap", "community-id/pcaps/icmp6.pcap",
                           "community-id/pcaps/icmp.pcap", "community-id/pcaps/udp.pcap",
                           "community-id/pcaps/sctp.pcap"}) {
    const Scan s = scan(
        file, [](const Packet& p) { return p.l4 != Layer::kCount; }, ChecksumMode::kOn);
    if (s.packets == 0) GTEST_SKIP() << "capture not available: " << file;
    EXPECT_EQ(s.invalid, 0u) << file;
    EXPECT_EQ(s.matching, s.packets) << file;
    for (DecodeEvent e :
         {DecodeEvent::TCP_CHECKSUM_INVALID, DecodeEvent::UDP_CHECKSUM_INVALID,
          DecodeEvent::ICMPV4_CHECKSUM_INVALID, DecodeEvent::ICMPV6_CHECKSUM_INVALID})
      EXPECT_EQ(event_count(s, e), 0u) << file << " " << decode_event_name(e);
  }
}

}  // namespace
}  // namespace nsm4
