#include "reassembly/defrag.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decode/checksum.h"

namespace nsm4 {
namespace {

// ---------------------------------------------------------------------------
// Crafted fragments. A Frag owns its bytes and a Packet whose fragment fields
// are filled from them the way the IP decoders fill them (see fill_from_ip).

constexpr uint8_t kSrc4[4] = {10, 0, 0, 1};
constexpr uint8_t kDst4[4] = {10, 0, 0, 2};
constexpr uint8_t kSrc6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
constexpr uint8_t kDst6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

struct Frag {
  std::vector<uint8_t> bytes;
  Packet p;
};

// Fills the network-layer and fragment fields of p from a raw IP datagram,
// as decode_ipv4 / decode_ipv6 do. Returns false when it is not IP.
bool fill_from_ip(Packet& p, const uint8_t* ip, uint32_t len) {
  p.data = ip;
  p.caplen = p.wirelen = len;
  p.ip_hdr = ip;
  if (len >= 20 && ip[0] >> 4 == 4) {
    p.ip_version = 4;
    p.ip_hdr_len = static_cast<uint16_t>((ip[0] & 0x0f) * 4);
    p.ip_total_len = rd16(ip + 2);
    p.ip_id = rd16(ip + 4);
    p.ip_proto = ip[9];
    p.src = IpAddr::v4(ip + 12);
    p.dst = IpAddr::v4(ip + 16);
    const uint16_t off = rd16(ip + 6);
    p.frag_rf = off & 0x8000;
    p.frag_df = off & 0x4000;
    p.frag_more = off & 0x2000;
    p.frag_offset = static_cast<uint16_t>((off & 0x1fff) * 8);
    p.frag_id = p.ip_id;
    p.is_fragment = p.frag_more || p.frag_offset != 0;
    return true;
  }
  if (len >= 40 && ip[0] >> 4 == 6) {
    p.ip_version = 6;
    p.ip_total_len = 40u + rd16(ip + 4);
    p.src = IpAddr::v6(ip + 8);
    p.dst = IpAddr::v6(ip + 24);
    uint8_t nh = ip[6];
    uint32_t off = 40;
    while (off + 8 <= len) {
      if (nh == 44) {
        p.is_fragment = true;
        p.frag_unfrag_len = static_cast<uint16_t>(off);
        p.frag_next_hdr = ip[off];
        const uint16_t ol = rd16(ip + off + 2);
        p.frag_offset = ol & 0xfff8;
        p.frag_more = ol & 1;
        p.frag_id = rd32(ip + off + 4);
        p.ip_id = static_cast<uint16_t>(p.frag_id);
        p.ip_proto = p.frag_next_hdr;
        p.ip_hdr_len = static_cast<uint16_t>(off + 8);
        return true;
      }
      if (nh != 0 && nh != 43 && nh != 60) break;
      const uint32_t hl = (ip[off + 1] + 1u) * 8u;
      nh = ip[off];
      off += hl;
    }
    p.ip_proto = nh;
    p.ip_hdr_len = static_cast<uint16_t>(off);
    return true;
  }
  return false;
}

void finish(Frag& f, int64_t sec) {
  f.p = Packet{};
  f.p.ts.sec = sec;
  f.p.datalink = 101;
  fill_from_ip(f.p, f.bytes.data(), static_cast<uint32_t>(f.bytes.size()));
}

struct V4 {
  uint16_t id = 1;
  uint8_t proto = 1;
  bool df = false;
  std::vector<uint8_t> options;  // multiple of 4 bytes
  int64_t sec = 1000;
  std::array<uint16_t, 3> vlan{};
};

Frag v4_frag(const V4& o, uint32_t offset, bool mf, const std::vector<uint8_t>& data) {
  Frag f;
  const uint32_t hl = 20 + static_cast<uint32_t>(o.options.size());
  const uint32_t total = hl + static_cast<uint32_t>(data.size());
  f.bytes.assign(hl, 0);
  f.bytes[0] = static_cast<uint8_t>(0x40 | hl / 4);
  f.bytes[2] = static_cast<uint8_t>(total >> 8);
  f.bytes[3] = static_cast<uint8_t>(total);
  f.bytes[4] = static_cast<uint8_t>(o.id >> 8);
  f.bytes[5] = static_cast<uint8_t>(o.id);
  const uint16_t off = static_cast<uint16_t>((o.df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | offset / 8);
  f.bytes[6] = static_cast<uint8_t>(off >> 8);
  f.bytes[7] = static_cast<uint8_t>(off);
  f.bytes[8] = 64;
  f.bytes[9] = o.proto;
  std::memcpy(&f.bytes[12], kSrc4, 4);
  std::memcpy(&f.bytes[16], kDst4, 4);
  std::copy(o.options.begin(), o.options.end(), f.bytes.begin() + 20);
  const uint16_t sum = inet_checksum(f.bytes.data(), hl);
  f.bytes[10] = static_cast<uint8_t>(sum >> 8);
  f.bytes[11] = static_cast<uint8_t>(sum);
  f.bytes.insert(f.bytes.end(), data.begin(), data.end());
  finish(f, o.sec);
  f.p.vlan = o.vlan;
  return f;
}

struct V6 {
  uint32_t id = 1;
  uint8_t next = 58;
  std::vector<uint8_t> unfrag_ext;  // extension headers before the fragment header
  uint8_t first_ext_type = 0;       // type of unfrag_ext's first header (0 = hop-by-hop)
  int64_t sec = 1000;
};

Frag v6_frag(const V6& o, uint32_t offset, bool m, const std::vector<uint8_t>& data) {
  Frag f;
  f.bytes.assign(40, 0);
  f.bytes[0] = 0x60;
  const uint32_t plen = static_cast<uint32_t>(o.unfrag_ext.size() + 8 + data.size());
  f.bytes[4] = static_cast<uint8_t>(plen >> 8);
  f.bytes[5] = static_cast<uint8_t>(plen);
  f.bytes[6] = o.unfrag_ext.empty() ? 44 : o.first_ext_type;
  f.bytes[7] = 64;
  std::memcpy(&f.bytes[8], kSrc6, 16);
  std::memcpy(&f.bytes[24], kDst6, 16);
  f.bytes.insert(f.bytes.end(), o.unfrag_ext.begin(), o.unfrag_ext.end());
  const uint16_t ol = static_cast<uint16_t>(offset | (m ? 1 : 0));
  const uint8_t fh[8] = {o.next,
                         0,
                         static_cast<uint8_t>(ol >> 8),
                         static_cast<uint8_t>(ol),
                         static_cast<uint8_t>(o.id >> 24),
                         static_cast<uint8_t>(o.id >> 16),
                         static_cast<uint8_t>(o.id >> 8),
                         static_cast<uint8_t>(o.id)};
  f.bytes.insert(f.bytes.end(), fh, fh + 8);
  f.bytes.insert(f.bytes.end(), data.begin(), data.end());
  finish(f, o.sec);
  return f;
}

std::vector<uint8_t> fill(char c, size_t n) {
  return std::vector<uint8_t>(n, uint8_t(c));
}
std::string text(const std::vector<uint8_t>& v, size_t from) {
  return std::string(v.begin() + static_cast<long>(from), v.end());
}

struct Harness {
  explicit Harness(DefragConfig cfg = {}) : d(cfg) {}
  bool add(Frag& f) { return d.add(ctx, f.p, out); }
  DecodeContext ctx;
  Defragmenter d;
  std::vector<uint8_t> out;
};

// ---------------------------------------------------------------------------
// Simple reassembly.

TEST(Defrag, Ipv4InOrderRebuildsHeaderAndPayload) {
  Harness h;
  V4 o;
  o.id = 12;
  auto a = v4_frag(o, 0, true, fill('A', 8));
  auto b = v4_frag(o, 8, true, fill('B', 8));
  auto c = v4_frag(o, 16, false, fill('C', 3));
  EXPECT_FALSE(h.add(a));
  EXPECT_FALSE(h.add(b));
  ASSERT_TRUE(h.add(c));
  ASSERT_EQ(h.out.size(), 39u);
  EXPECT_EQ(h.out[0], 0x45);
  EXPECT_EQ(rd16(&h.out[2]), 39);  // total length
  EXPECT_EQ(rd16(&h.out[4]), 12);  // id kept
  EXPECT_EQ(rd16(&h.out[6]), 0);   // no MF, no offset
  EXPECT_EQ(h.out[9], 1);          // protocol
  EXPECT_EQ(inet_checksum(h.out.data(), 20), 0) << "header checksum must be valid";
  EXPECT_EQ(text(h.out, 20), "AAAAAAAABBBBBBBBCCC");
  EXPECT_EQ(h.d.stats().ipv4_fragments, 3u);
  EXPECT_EQ(h.d.stats().ipv4_reassembled, 1u);
  EXPECT_EQ(h.d.stats().overlaps, 0u);
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.memuse(), 0u);
  EXPECT_EQ(c.p.event_count, 0);
}

TEST(Defrag, Ipv4AnyArrivalOrderGivesSameDatagram) {
  const std::vector<std::vector<int>> orders = {{2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {2, 0, 1}};
  for (const auto& order : orders) {
    Harness h;
    V4 o;
    std::vector<Frag> fr;
    fr.push_back(v4_frag(o, 0, true, fill('A', 16)));
    fr.push_back(v4_frag(o, 16, true, fill('B', 8)));
    fr.push_back(v4_frag(o, 24, false, fill('C', 5)));
    for (size_t i = 0; i < order.size(); ++i) {
      const bool done = h.add(fr[order[i]]);
      EXPECT_EQ(done, i + 1 == order.size());
    }
    EXPECT_EQ(text(h.out, 20), std::string(16, 'A') + "BBBBBBBBCCCCC");
    EXPECT_EQ(rd16(&h.out[2]), 20 + 29);
  }
}

TEST(Defrag, Ipv4OptionsAndDfKeptFromFirstFragment) {
  Harness h;
  V4 o;
  o.df = true;
  o.options = {0x94, 0x04, 0x00, 0x00};  // router alert
  auto a = v4_frag(o, 0, true, fill('A', 8));
  V4 plain = o;
  plain.options.clear();
  auto b = v4_frag(plain, 8, false, fill('B', 4));
  EXPECT_FALSE(h.add(b));
  ASSERT_TRUE(h.add(a));
  ASSERT_EQ(h.out.size(), 24u + 12u);
  EXPECT_EQ(h.out[0], 0x46);
  EXPECT_EQ(rd16(&h.out[2]), 36);
  EXPECT_EQ(rd16(&h.out[6]), 0x4000);  // DF kept, MF and offset cleared
  EXPECT_EQ(h.out[20], 0x94);
  EXPECT_EQ(inet_checksum(h.out.data(), 24), 0);
  EXPECT_EQ(text(h.out, 24), "AAAAAAAABBBB");
}

TEST(Defrag, Ipv6InOrderRemovesFragmentHeader) {
  Harness h;
  V6 o;
  o.id = 0x12345678;
  auto a = v6_frag(o, 0, true, fill('A', 8));
  auto b = v6_frag(o, 8, true, fill('B', 8));
  auto c = v6_frag(o, 16, false, fill('C', 3));
  EXPECT_FALSE(h.add(a));
  EXPECT_FALSE(h.add(b));
  ASSERT_TRUE(h.add(c));
  ASSERT_EQ(h.out.size(), 40u + 19u);
  EXPECT_EQ(rd16(&h.out[4]), 19);  // payload length
  EXPECT_EQ(h.out[6], 58);         // next header now the fragment's
  EXPECT_EQ(std::memcmp(&h.out[8], kSrc6, 16), 0);
  EXPECT_EQ(text(h.out, 40), "AAAAAAAABBBBBBBBCCC");
  EXPECT_EQ(h.d.stats().ipv6_fragments, 3u);
  EXPECT_EQ(h.d.stats().ipv6_reassembled, 1u);
}

TEST(Defrag, Ipv6ReverseOrder) {
  Harness h;
  V6 o;
  auto a = v6_frag(o, 0, true, fill('A', 8));
  auto b = v6_frag(o, 8, true, fill('B', 8));
  auto c = v6_frag(o, 16, false, fill('C', 3));
  EXPECT_FALSE(h.add(c));
  EXPECT_FALSE(h.add(b));
  ASSERT_TRUE(h.add(a));
  EXPECT_EQ(text(h.out, 40), "AAAAAAAABBBBBBBBCCC");
}

TEST(Defrag, Ipv6UnfragmentableHeadersKeptAndChained) {
  Harness h;
  V6 o;
  o.next = 17;
  // Hop-by-Hop (next = 44, fragment) with a PadN filling its 8 bytes.
  o.unfrag_ext = {44, 0, 1, 4, 0, 0, 0, 0};
  o.first_ext_type = 0;
  std::vector<uint8_t> udp = {0x12, 0x34, 0x00, 0x35, 0x00, 0x10, 0x00, 0x00};
  auto first = udp;
  first.resize(16, 'U');
  auto a = v6_frag(o, 0, true, first);
  auto b = v6_frag(o, 16, false, fill('V', 4));
  EXPECT_FALSE(h.add(a));
  ASSERT_TRUE(h.add(b));
  ASSERT_EQ(h.out.size(), 40u + 8u + 20u);
  EXPECT_EQ(h.out[6], 0);    // IPv6 header still points at Hop-by-Hop
  EXPECT_EQ(h.out[40], 17);  // Hop-by-Hop now points at UDP
  EXPECT_EQ(rd16(&h.out[4]), 8 + 20);
  EXPECT_EQ(h.out[48], 0x12);
  EXPECT_EQ(text(h.out, 56), "UUUUUUUUVVVV");
}

TEST(Defrag, WholeDatagramIsNotTracked) {
  Harness h;
  V4 o;
  auto whole = v4_frag(o, 0, false, fill('A', 8));
  whole.p.is_fragment = true;  // even if a decoder flagged it
  EXPECT_FALSE(h.add(whole));
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.stats().ipv4_fragments, 0u);
}

TEST(Defrag, SeparateDatagramsAreNotMixed) {
  V4 base;
  V4 other_id = base;
  other_id.id = 2;
  V4 other_proto = base;
  other_proto.proto = 17;
  V4 other_vlan = base;
  other_vlan.vlan = {5, 0, 0};
  for (const V4& second : {other_id, other_proto, other_vlan}) {
    Harness h;
    auto a = v4_frag(base, 0, true, fill('A', 8));
    auto b = v4_frag(second, 8, false, fill('B', 8));
    EXPECT_FALSE(h.add(a));
    EXPECT_FALSE(h.add(b));
    EXPECT_EQ(h.d.tracker_count(), 2u);
  }
  // Same ids, other source address.
  Harness h;
  auto a = v4_frag(base, 0, true, fill('A', 8));
  auto b = v4_frag(base, 8, false, fill('B', 8));
  b.bytes[15] = 9;
  b.p.src = IpAddr::v4(&b.bytes[12]);
  EXPECT_FALSE(h.add(a));
  EXPECT_FALSE(h.add(b));
  EXPECT_EQ(h.d.tracker_count(), 2u);
}

// ---------------------------------------------------------------------------
// Overlaps.

TEST(Defrag, DuplicateFragmentRaisesOverlapAndKeepsData) {
  Harness h;
  V4 o;
  auto a = v4_frag(o, 0, true, fill('A', 8));
  auto a2 = v4_frag(o, 0, true, fill('X', 8));
  auto b = v4_frag(o, 8, false, fill('B', 8));
  EXPECT_FALSE(h.add(a));
  EXPECT_FALSE(h.add(a2));
  EXPECT_TRUE(a2.p.has_event(DecodeEvent::IPV4_FRAG_OVERLAP));
  EXPECT_FALSE(a.p.has_event(DecodeEvent::IPV4_FRAG_OVERLAP));
  ASSERT_TRUE(h.add(b));
  EXPECT_EQ(text(h.out, 20), "AAAAAAAABBBBBBBB");
  EXPECT_EQ(h.d.stats().overlaps, 1u);
  EXPECT_EQ(h.ctx.stats().events[static_cast<size_t>(DecodeEvent::IPV4_FRAG_OVERLAP)], 1u);
}

// Every way a new fragment N can overlap one held fragment O = [16, 32)
// under bsd. The datagram is A*16 @0, O, N, then Z*8 @40 (last).
struct OverlapShape {
  const char* name;
  uint32_t ns, ne;
  const char* expected;  // bytes 16..40
};

TEST(Defrag, BsdEveryOverlapShape) {
  const OverlapShape shapes[] = {
      // N starts at or after O's start: O's bytes win.
      {"same range", 16, 32, "OOOOOOOOOOOOOOOO--------"},
      {"inside, same start", 16, 24, "OOOOOOOOOOOOOOOO--------"},
      {"inside, same end", 24, 32, "OOOOOOOOOOOOOOOO--------"},
      {"same start, ends after", 16, 40, "OOOOOOOOOOOOOOOONNNNNNNN"},
      {"starts inside, ends after", 24, 40, "OOOOOOOOOOOOOOOONNNNNNNN"},
      // N starts before O: N's bytes win.
      {"starts before, ends inside", 8, 24, "NNNNNNNNOOOOOOOO--------"},
      {"starts before, same end", 8, 32, "NNNNNNNNNNNNNNNN--------"},
      {"starts before, ends after", 8, 40, "NNNNNNNNNNNNNNNNNNNNNNNN"},
  };
  for (const auto& s : shapes) {
    SCOPED_TRACE(s.name);
    Harness h;
    V4 o;
    auto a = v4_frag(o, 0, true, fill('A', 16));
    auto held = v4_frag(o, 16, true, fill('O', 16));
    auto n = v4_frag(o, s.ns, true, fill('N', s.ne - s.ns));
    auto z = v4_frag(o, 40, false, fill('Z', 8));
    EXPECT_FALSE(h.add(held));
    EXPECT_FALSE(h.add(n));
    EXPECT_TRUE(n.p.has_event(DecodeEvent::IPV4_FRAG_OVERLAP));
    // Bytes 32..40 that neither O nor N hold come from a filler; it starts
    // at 32, so under bsd it never wins bytes already held there.
    auto gap = v4_frag(o, 32, true, fill('-', 8));
    EXPECT_FALSE(h.add(z));
    EXPECT_FALSE(h.add(gap));
    ASSERT_TRUE(h.add(a));
    EXPECT_EQ(text(h.out, 20), std::string(16, 'A') + s.expected + "ZZZZZZZZ");
  }
}

// The first fragment arriving after N (which covers 8..16) starts before N,
// so bsd gives it those bytes; arriving before N, it keeps them.
TEST(Defrag, BsdNewerEarlierStartWins) {
  V4 o;
  {
    Harness h;
    auto n = v4_frag(o, 8, true, fill('N', 16));
    auto a = v4_frag(o, 0, true, fill('A', 16));
    auto z = v4_frag(o, 24, false, fill('Z', 8));
    EXPECT_FALSE(h.add(n));
    EXPECT_FALSE(h.add(a));
    ASSERT_TRUE(h.add(z));
    EXPECT_EQ(text(h.out, 20), std::string(16, 'A') + "NNNNNNNNZZZZZZZZ");
  }
  {
    Harness h;
    auto a = v4_frag(o, 0, true, fill('A', 16));
    auto n = v4_frag(o, 8, true, fill('N', 16));
    auto z = v4_frag(o, 24, false, fill('Z', 8));
    EXPECT_FALSE(h.add(a));
    EXPECT_FALSE(h.add(n));
    ASSERT_TRUE(h.add(z));
    EXPECT_EQ(text(h.out, 20), std::string(16, 'A') + "NNNNNNNNZZZZZZZZ");
  }
}

// A new fragment spanning several held ones: under bsd the one starting at or
// before it keeps its bytes, all that start after it lose theirs.
TEST(Defrag, BsdNewFragmentSpanningSeveralHeld) {
  Harness h;
  V4 o;
  auto a = v4_frag(o, 0, true, fill('A', 24));
  auto b = v4_frag(o, 24, true, fill('B', 8));
  auto c = v4_frag(o, 32, true, fill('C', 8));
  auto x = v4_frag(o, 16, true, fill('X', 32));
  auto z = v4_frag(o, 48, false, fill('Z', 8));
  for (Frag* f : {&a, &b, &c, &x}) EXPECT_FALSE(h.add(*f));
  ASSERT_TRUE(h.add(z));
  EXPECT_EQ(text(h.out, 20), std::string(24, 'A') + std::string(24, 'X') + "ZZZZZZZZ");
  EXPECT_EQ(h.d.stats().overlaps, 1u);
}

// The Sturges-Novak pattern used by Suricata's defrag tests: 9 original
// fragments, then 8 overlapping ones, the last of them carrying MF=0.
struct NovakFrag {
  char c;
  uint32_t off, len;
};
constexpr NovakFrag kNovak[] = {
    {'A', 0, 24},   {'B', 32, 16},  {'C', 48, 24}, {'D', 80, 8},  {'E', 104, 16}, {'F', 120, 24},
    {'G', 144, 16}, {'H', 160, 16}, {'I', 176, 8}, {'J', 8, 32},  {'K', 48, 24},  {'L', 72, 24},
    {'M', 96, 24},  {'N', 128, 8},  {'O', 152, 8}, {'P', 160, 8}, {'Q', 176, 16},
};

std::string novak_expected(const char* groups) {  // one letter per 8 bytes
  std::string s;
  for (const char* g = groups; *g; ++g) s += std::string(8, *g);
  return s;
}

struct NovakCase {
  DefragPolicy policy;
  const char* groups;
};

constexpr NovakCase kNovakCases[] = {
    {DefragPolicy::kBsd, "AAAJJBCCCLLLMMMFFFGGHHIQ"},
    {DefragPolicy::kLinux, "AAAJJBKKKLLLMMMFFFGGPHQQ"},
    {DefragPolicy::kWindows, "AAAJBBCCCLLLMEEFFFGGHHIQ"},
    {DefragPolicy::kSolaris, "AAAJBBCCCLLLMMMFFFGGHHIQ"},
    {DefragPolicy::kFirst, "AAAJBBCCCLDLMEEFFFGGHHIQ"},
    {DefragPolicy::kLast, "AJJJJBKKKLLLMMMFNFGOPHQQ"},
};

template <typename MakeFrag>
void run_novak(const NovakCase& nc, bool v6, MakeFrag make) {
  DefragConfig cfg;
  cfg.policy = nc.policy;
  Harness h(cfg);
  std::vector<Frag> frags;
  for (size_t i = 0; i < std::size(kNovak); ++i) {
    const bool last = i + 1 == std::size(kNovak);
    frags.push_back(make(kNovak[i].off, !last, fill(kNovak[i].c, kNovak[i].len)));
  }
  const DecodeEvent overlap = v6 ? DecodeEvent::IPV6_FRAG_OVERLAP : DecodeEvent::IPV4_FRAG_OVERLAP;
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_FALSE(h.add(frags[i])) << i;
    // The first nine are disjoint; each of the next ones overlaps one of them.
    EXPECT_EQ(frags[i].p.has_event(overlap), i >= 9) << kNovak[i].c;
  }
  ASSERT_TRUE(h.add(frags[16]));
  EXPECT_TRUE(frags[16].p.has_event(overlap));
  const size_t hdr = v6 ? 40 : 20;
  ASSERT_EQ(h.out.size(), hdr + 192);
  EXPECT_EQ(text(h.out, hdr), novak_expected(nc.groups));
  EXPECT_EQ(h.d.stats().overlaps, 8u);
  EXPECT_EQ(h.d.memuse(), 0u);
}

TEST(Defrag, SturgesNovakIpv4AllPolicies) {
  for (const auto& nc : kNovakCases) {
    SCOPED_TRACE(static_cast<int>(nc.policy));
    run_novak(nc, false, [](uint32_t off, bool mf, const std::vector<uint8_t>& d) {
      return v4_frag(V4{}, off, mf, d);
    });
  }
}

TEST(Defrag, SturgesNovakIpv6AllPolicies) {
  for (const auto& nc : kNovakCases) {
    SCOPED_TRACE(static_cast<int>(nc.policy));
    run_novak(nc, true, [](uint32_t off, bool m, const std::vector<uint8_t>& d) {
      return v6_frag(V6{}, off, m, d);
    });
  }
}

TEST(Defrag, DefaultPolicyIsBsd) {
  EXPECT_EQ(DefragConfig{}.policy, DefragPolicy::kBsd);
}

// ---------------------------------------------------------------------------
// Limits and anomalies.

TEST(Defrag, TimeoutInPacketTime) {
  DefragConfig cfg;
  cfg.timeout_sec = 60;
  V4 early;
  early.sec = 1000;
  V4 late = early;
  late.sec = 1061;  // more than 60 s after the last fragment
  {
    Harness h(cfg);
    auto a = v4_frag(early, 0, true, fill('A', 8));
    auto b = v4_frag(late, 8, false, fill('B', 8));
    EXPECT_FALSE(h.add(a));
    EXPECT_FALSE(h.add(b)) << "the first fragment has timed out";
    EXPECT_EQ(h.d.stats().timeouts, 1u);
  }
  {
    // Each fragment restarts the clock.
    Harness h(cfg);
    V4 mid = early;
    mid.sec = 1050;
    V4 end = early;
    end.sec = 1100;
    auto a = v4_frag(early, 0, true, fill('A', 8));
    auto b = v4_frag(mid, 8, true, fill('B', 8));
    auto c = v4_frag(end, 16, false, fill('C', 8));
    EXPECT_FALSE(h.add(a));
    EXPECT_FALSE(h.add(b));
    EXPECT_TRUE(h.add(c));
    EXPECT_EQ(h.d.stats().timeouts, 0u);
  }
  {
    Harness h(cfg);
    auto a = v4_frag(early, 0, true, fill('A', 8));
    EXPECT_FALSE(h.add(a));
    EXPECT_GT(h.d.memuse(), 0u);
    h.d.advance_time({1060, 0});
    EXPECT_EQ(h.d.tracker_count(), 1u);
    h.d.advance_time({1061, 1});
    EXPECT_EQ(h.d.tracker_count(), 0u);
    EXPECT_EQ(h.d.memuse(), 0u);
    EXPECT_EQ(h.d.stats().timeouts, 1u);
  }
}

TEST(Defrag, MemcapDropsNewFragmentsAndCountsThem) {
  // Learn what one 64-byte fragment costs, then allow a little more than one.
  uint64_t one = 0;
  {
    Harness h;
    V4 o;
    auto a = v4_frag(o, 0, true, fill('A', 64));
    h.add(a);
    one = h.d.memuse();
    EXPECT_GE(one, 64u + 20u);
  }
  DefragConfig cfg;
  cfg.memcap = one + 32;
  Harness h(cfg);
  V4 o;
  auto a = v4_frag(o, 0, true, fill('A', 64));
  auto b = v4_frag(o, 64, false, fill('B', 64));
  V4 o2 = o;
  o2.id = 2;
  auto other = v4_frag(o2, 0, true, fill('X', 64));
  EXPECT_FALSE(h.add(a));
  EXPECT_FALSE(h.add(b));
  EXPECT_TRUE(b.p.has_event(DecodeEvent::IPV4_FRAG_IGNORED));
  EXPECT_FALSE(h.add(other));
  EXPECT_TRUE(other.p.has_event(DecodeEvent::IPV4_FRAG_IGNORED));
  EXPECT_EQ(h.d.stats().memcap_drops, 2u);
  EXPECT_EQ(h.d.tracker_count(), 1u);
  EXPECT_LE(h.d.memuse(), cfg.memcap);
  // Once the held datagram times out, memory is free again.
  h.d.advance_time({2000, 0});
  EXPECT_EQ(h.d.memuse(), 0u);
  V4 later = o;
  later.sec = 2000;
  auto b2 = v4_frag(later, 64, true, fill('B', 64));
  EXPECT_FALSE(h.add(b2));
  EXPECT_FALSE(b2.p.has_event(DecodeEvent::IPV4_FRAG_IGNORED));
}

TEST(Defrag, TooManyFragmentsDropsTheDatagram) {
  DefragConfig cfg;
  cfg.max_frags = 3;
  Harness h(cfg);
  V4 o;
  std::vector<Frag> fr;
  for (uint32_t i = 0; i < 4; ++i) fr.push_back(v4_frag(o, 8 + i * 8, true, fill('a', 8)));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(h.add(fr[i]));
    EXPECT_FALSE(fr[i].p.has_event(DecodeEvent::IPV4_FRAG_TOO_MANY));
  }
  EXPECT_FALSE(h.add(fr[3]));
  EXPECT_TRUE(fr[3].p.has_event(DecodeEvent::IPV4_FRAG_TOO_MANY));
  EXPECT_EQ(h.d.stats().too_many, 1u);
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.memuse(), 0u);
  // Duplicates count too: a datagram cannot be kept alive by repeating one.
  Harness h6(cfg);
  V6 o6;
  std::vector<Frag> dup;
  for (int i = 0; i < 4; ++i) dup.push_back(v6_frag(o6, 8, true, fill('d', 8)));
  for (auto& f : dup) h6.add(f);
  EXPECT_TRUE(dup[3].p.has_event(DecodeEvent::IPV6_FRAG_TOO_MANY));
}

TEST(Defrag, TinyFirstFragment) {
  {  // TCP: 8 bytes cannot hold the 20-byte header.
    Harness h;
    V4 o;
    o.proto = 6;
    auto a = v4_frag(o, 0, true, fill('\0', 8));
    auto b = v4_frag(o, 8, false, fill('B', 24));
    EXPECT_FALSE(h.add(a));
    EXPECT_TRUE(a.p.has_event(DecodeEvent::IPV4_FRAG_TINY_FIRST));
    EXPECT_EQ(h.d.stats().tiny_first, 1u);
    EXPECT_TRUE(h.add(b)) << "still reassembled";
  }
  {  // TCP with 40 bytes of options (data offset 15): 24 bytes is too short.
    Harness h;
    V4 o;
    o.proto = 6;
    auto d = fill('\0', 24);
    d[12] = 0xf0;
    auto a = v4_frag(o, 0, true, d);
    h.add(a);
    EXPECT_TRUE(a.p.has_event(DecodeEvent::IPV4_FRAG_TINY_FIRST));
  }
  {  // UDP: 8 bytes hold the whole header.
    Harness h;
    V4 o;
    o.proto = 17;
    auto a = v4_frag(o, 0, true, fill('\0', 8));
    h.add(a);
    EXPECT_FALSE(a.p.has_event(DecodeEvent::IPV4_FRAG_TINY_FIRST));
  }
  {  // A configured threshold applies whatever the protocol.
    DefragConfig cfg;
    cfg.min_first_frag = 100;
    Harness h(cfg);
    V4 o;
    o.proto = 17;
    auto a = v4_frag(o, 0, true, fill('\0', 96));
    auto b = v4_frag(o, 96, true, fill('\0', 8));  // not a first fragment
    h.add(a);
    h.add(b);
    EXPECT_TRUE(a.p.has_event(DecodeEvent::IPV4_FRAG_TINY_FIRST));
    EXPECT_FALSE(b.p.has_event(DecodeEvent::IPV4_FRAG_TINY_FIRST));
  }
  {  // IPv6: a first fragment whose next header is TCP with 16 bytes.
    Harness h;
    V6 o;
    o.next = 6;
    auto a = v6_frag(o, 0, true, fill('\0', 16));
    h.add(a);
    EXPECT_TRUE(a.p.has_event(DecodeEvent::IPV6_FRAG_TINY_FIRST));
  }
}

TEST(Defrag, Ipv4FragmentPastMaximumSize) {
  Harness h;
  V4 o;
  auto f = v4_frag(o, 8183 * 8, false, fill('A', 71));  // 20 + 65464 + 71 > 65535
  EXPECT_FALSE(h.add(f));
  EXPECT_TRUE(f.p.has_event(DecodeEvent::IPV4_FRAG_PKT_TOO_LARGE));
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.stats().too_large, 1u);
}

TEST(Defrag, Ipv4RebuiltDatagramTooLarge) {
  // Each fragment fits (20 + offset + length <= 65535), but the first
  // fragment's 60-byte header makes the whole datagram 65575 bytes.
  Harness h;
  V4 o;
  o.options = std::vector<uint8_t>(40, 1);  // NOPs
  V4 plain;
  const uint32_t chunk = 8000;
  std::vector<Frag> fr;
  fr.push_back(v4_frag(o, 0, true, fill('a', chunk)));
  uint32_t off = chunk;
  while (off + chunk < 65515) {
    fr.push_back(v4_frag(plain, off, true, fill('b', chunk)));
    off += chunk;
  }
  fr.push_back(v4_frag(plain, off, false, fill('c', 65515 - off)));
  for (size_t i = 0; i + 1 < fr.size(); ++i) EXPECT_FALSE(h.add(fr[i]));
  EXPECT_FALSE(h.add(fr.back()));
  EXPECT_TRUE(fr.back().p.has_event(DecodeEvent::IPV4_FRAG_PKT_TOO_LARGE));
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.stats().ipv4_reassembled, 0u);
}

TEST(Defrag, Ipv6FragmentPastMaximumSize) {
  Harness h;
  V6 o;
  auto f = v6_frag(o, 65528, false, fill('A', 16));
  EXPECT_FALSE(h.add(f));
  EXPECT_TRUE(f.p.has_event(DecodeEvent::IPV6_FRAG_PKT_TOO_LARGE));
}

TEST(Defrag, Ipv6LengthNotMultipleOf8WithMoreFragments) {
  Harness h;
  V6 o;
  auto a = v6_frag(o, 0, true, fill('A', 12));
  EXPECT_FALSE(h.add(a));
  EXPECT_TRUE(a.p.has_event(DecodeEvent::IPV6_FRAG_INVALID_LENGTH));
  EXPECT_EQ(h.d.tracker_count(), 0u);
  // Without M the length is free.
  auto last = v6_frag(o, 8, false, fill('B', 12));
  EXPECT_FALSE(h.add(last));
  EXPECT_FALSE(last.p.has_event(DecodeEvent::IPV6_FRAG_INVALID_LENGTH));
}

TEST(Defrag, TruncatedFragmentIsIgnored) {
  Harness h;
  V4 o;
  auto a = v4_frag(o, 0, true, fill('A', 64));
  a.p.caplen = 40;  // snaplen cut the data
  EXPECT_FALSE(h.add(a));
  EXPECT_EQ(h.d.tracker_count(), 0u);
  EXPECT_EQ(h.d.stats().invalid, 1u);
  // Header length fields that contradict each other.
  auto b = v4_frag(o, 8, true, fill('B', 8));
  b.p.ip_hdr_len = 60;
  EXPECT_FALSE(h.add(b));
  auto c = v6_frag(V6{}, 8, true, fill('C', 8));
  c.p.frag_unfrag_len = 200;
  EXPECT_FALSE(h.add(c));
  EXPECT_EQ(h.d.tracker_count(), 0u);
}

TEST(Defrag, StatsMerge) {
  DefragStats a, b;
  a.overlaps = 2;
  a.ipv6_reassembled = 1;
  b.overlaps = 3;
  b.too_large = 4;
  a.merge(b);
  EXPECT_EQ(a.overlaps, 5u);
  EXPECT_EQ(a.ipv6_reassembled, 1u);
  EXPECT_EQ(a.too_large, 4u);
}

// ---------------------------------------------------------------------------
// Through the real decoders: raw IP frames decoded with decode_packet, the
// fragments fed to the defragmenter, the rebuilt datagram decoded again.

// Decodes f's bytes as a raw IP frame into a fresh Packet.
Packet decode_raw(DecodeContext& ctx, const Frag& f) {
  Packet p;
  p.ts = f.p.ts;
  p.datalink = 101;
  p.data = f.bytes.data();
  p.caplen = p.wirelen = static_cast<uint32_t>(f.bytes.size());
  decode_packet(ctx, p);
  return p;
}

TEST(Defrag, DecodedIpv4FragmentsRebuildAUdpDatagram) {
  DecodeContext ctx;
  Defragmenter d;
  V4 o;
  o.proto = 17;
  std::vector<uint8_t> udp = {0x30, 0x39, 0x00, 0x35, 0x00, 28, 0x00, 0x00};  // 12345 -> 53
  udp.resize(16, 'q');
  auto a = v4_frag(o, 0, true, udp);
  auto b = v4_frag(o, 16, false, fill('r', 12));
  Packet pa = decode_raw(ctx, a);
  if (pa.ip_version == 0) GTEST_SKIP() << "IPv4 decoder not available yet";
  Packet pb = decode_raw(ctx, b);
  ASSERT_TRUE(pb.is_fragment);
  EXPECT_EQ(pb.frag_offset, 16);
  std::vector<uint8_t> out;
  EXPECT_FALSE(d.add(ctx, pb, out));
  ASSERT_TRUE(d.add(ctx, pa, out));
  Packet whole;
  whole.data = out.data();
  whole.caplen = static_cast<uint32_t>(out.size());
  decode_layer(ctx, whole, Layer::kIpv4, out.data(), whole.caplen);
  EXPECT_FALSE(whole.invalid);
  EXPECT_FALSE(whole.is_fragment);
  EXPECT_EQ(whole.ip_total_len, 20u + 28u);
  EXPECT_EQ(whole.l4, Layer::kUdp);
  EXPECT_EQ(whole.sport, 12345);
  EXPECT_EQ(whole.dport, 53);
  EXPECT_EQ(whole.payload_len, 20u);
}

TEST(Defrag, DecodedIpv6FragmentsWithHopByHopRebuildAnIcmpv6Datagram) {
  DecodeContext ctx;
  Defragmenter d;
  V6 o;
  o.next = 58;
  o.unfrag_ext = {44, 0, 1, 4, 0, 0, 0, 0};                            // Hop-by-Hop, PadN
  std::vector<uint8_t> icmp = {128, 0, 0, 0, 0x12, 0x34, 0x00, 0x01};  // echo request
  icmp.resize(24, 'e');
  auto a = v6_frag(o, 0, true, icmp);
  auto b = v6_frag(o, 24, false, fill('f', 10));
  Packet pa = decode_raw(ctx, a);
  if (pa.ip_version == 0) GTEST_SKIP() << "IPv6 decoder not available yet";
  ASSERT_TRUE(pa.is_fragment);
  EXPECT_EQ(pa.frag_unfrag_len, 48);
  EXPECT_EQ(pa.frag_next_hdr, 58);
  Packet pb = decode_raw(ctx, b);
  std::vector<uint8_t> out;
  EXPECT_FALSE(d.add(ctx, pa, out));
  ASSERT_TRUE(d.add(ctx, pb, out));
  Packet whole;
  whole.data = out.data();
  whole.caplen = static_cast<uint32_t>(out.size());
  decode_layer(ctx, whole, Layer::kIpv6, out.data(), whole.caplen);
  EXPECT_FALSE(whole.invalid);
  EXPECT_FALSE(whole.is_fragment);
  EXPECT_TRUE(whole.ipv6_exthdrs & kExtHopByHop);
  EXPECT_FALSE(whole.ipv6_exthdrs & kExtFragment);
  EXPECT_EQ(whole.ip_total_len, 40u + 8u + 34u);
  EXPECT_EQ(whole.l4, Layer::kIcmpv6);
  EXPECT_EQ(whole.icmp_type, 128);
}

// ---------------------------------------------------------------------------
// A real capture: suricata-verify's ipv6-malformed-fragments-35, where one
// fragmented datagram (id 0x1aaaa) carries the first fragment of another (id
// 0x1bbbb) whose other fragments follow; the inner datagram is an ICMPv6 echo
// request of 1208 bytes.

std::vector<std::vector<uint8_t>> read_pcap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::vector<uint8_t>> frames;
  if (file.size() < 24) return frames;
  const bool swapped = file[0] == 0xa1;  // big-endian file
  auto u32 = [&](size_t at) {
    return swapped ? rd32(&file[at])
                   : static_cast<uint32_t>(file[at] | file[at + 1] << 8 | file[at + 2] << 16 |
                                           static_cast<uint32_t>(file[at + 3]) << 24);
  };
  size_t at = 24;
  while (at + 16 <= file.size()) {
    const uint32_t incl = u32(at + 8);
    at += 16;
    if (at + incl > file.size()) break;
    frames.emplace_back(file.begin() + static_cast<long>(at),
                        file.begin() + static_cast<long>(at + incl));
    at += incl;
  }
  return frames;
}

TEST(Defrag, ConformanceCaptureNestedIpv6Fragments) {
  const std::string path =
      std::string(NSM4_SHARED_DIR) +
      "/conformance/suite/ipv6-evasion__ipv6-malformed-fragments-35/input.pcap";
  if (!std::filesystem::exists(path))
    GTEST_SKIP() << "shared conformance captures absent: " << path;
  const auto frames = read_pcap(path);
  ASSERT_FALSE(frames.empty());

  Harness h;
  int fragments = 0, rebuilt = 0;
  std::vector<uint8_t> final_datagram;
  for (const auto& frame : frames) {
    if (frame.size() < 14 + 40 || rd16(&frame[12]) != 0x86dd) continue;
    Packet p;
    fill_from_ip(p, frame.data() + 14, static_cast<uint32_t>(frame.size() - 14));
    p.data = frame.data();
    p.caplen = static_cast<uint32_t>(frame.size());
    if (!p.is_fragment) continue;
    ++fragments;
    std::vector<uint8_t> out;
    if (!h.d.add(h.ctx, p, out)) continue;
    ++rebuilt;
    // Re-decode the rebuilt datagram; it may itself be a fragment.
    Packet inner;
    ASSERT_TRUE(fill_from_ip(inner, out.data(), static_cast<uint32_t>(out.size())));
    if (inner.is_fragment) {
      std::vector<uint8_t> out2;
      if (h.d.add(h.ctx, inner, out2)) {
        ++rebuilt;
        final_datagram = out2;
      }
    } else {
      final_datagram = out;
    }
    EXPECT_FALSE(p.has_event(DecodeEvent::IPV6_FRAG_OVERLAP));
  }
  EXPECT_EQ(fragments, 4);
  EXPECT_EQ(rebuilt, 2);
  ASSERT_EQ(final_datagram.size(), 40u + 1208u);
  EXPECT_EQ(final_datagram[6], 58);  // ICMPv6
  EXPECT_EQ(rd16(&final_datagram[4]), 1208);
  EXPECT_EQ(final_datagram[40], 128);  // echo request
  EXPECT_EQ(h.d.tracker_count(), 0u);
}

}  // namespace
}  // namespace nsm4
