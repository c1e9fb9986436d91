#include <gtest/gtest.h>

#include "agent/decode/ipv6_test_packets.h"
#include "decode/decoders.h"

namespace nsm4 {
namespace {

using test::Bytes;
using test::cat;
using test::decode_raw_ipv6;
using test::ipv6;
using test::udp;
using test::v6addr;

constexpr uint8_t kUdp = 17, kTcp = 6, kHbh = 0, kRouting = 43, kFrag = 44, kDst = 60, kAh = 51,
                  kEsp = 50, kNone = 59, kMobility = 135;

// Extension header with next header `nh` and `body` (6 + 8n bytes of options).
Bytes ext(uint8_t nh, const Bytes& body) {
  Bytes h = {nh, static_cast<uint8_t>((body.size() + 2) / 8 - 1)};
  h.insert(h.end(), body.begin(), body.end());
  return h;
}
Bytes pad_only_opts(uint8_t nh) {
  return ext(nh, {0x01, 0x04, 0, 0, 0, 0});
}  // PadN(4)
Bytes routing(uint8_t nh, uint8_t type) {
  return {nh, 0, type, 0, 0, 0, 0, 0};
}
Bytes fragment(uint8_t nh, uint16_t offset_bytes, bool more, uint32_t id) {
  const uint16_t of = static_cast<uint16_t>(offset_bytes | (more ? 1 : 0));
  return {nh,
          0,
          static_cast<uint8_t>(of >> 8),
          static_cast<uint8_t>(of),
          static_cast<uint8_t>(id >> 24),
          static_cast<uint8_t>(id >> 16),
          static_cast<uint8_t>(id >> 8),
          static_cast<uint8_t>(id)};
}

TEST(Ipv6Decoder, PlainUdpFillsHeaderFields) {
  DecodeContext ctx;
  Bytes frame = ipv6(kUdp, udp(5353, 53, {'a', 'b', 'c'}), 57);
  frame.insert(frame.end(), 6, 0);  // Ethernet-style trailing padding
  Packet p = decode_raw_ipv6(ctx, frame);
  ASSERT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_version, 6);
  EXPECT_EQ(p.src, IpAddr::v6(v6addr(1).data()));
  EXPECT_EQ(p.dst, IpAddr::v6(v6addr(2).data()));
  EXPECT_EQ(p.ttl, 57);
  EXPECT_EQ(p.tos, 0xb8);
  EXPECT_EQ(p.ipv6_flow_label, 0x12345u);
  EXPECT_EQ(p.ip_hdr_len, 40);
  EXPECT_EQ(p.ip_total_len, 40u + 11);
  EXPECT_EQ(p.ip_proto, kUdp);
  EXPECT_EQ(p.ipv6_exthdrs, 0);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.sport, 5353);
  EXPECT_EQ(p.dport, 53);
  EXPECT_EQ(p.payload_len, 3u);  // the padding is not payload
  EXPECT_EQ(p.event_count, 0);
  EXPECT_EQ(ctx.stats().ipv6, 1u);
}

TEST(Ipv6Decoder, ShortHeaderIsTooSmall) {
  DecodeContext ctx;
  Bytes frame = ipv6(kNone, {});
  frame.resize(39);
  Packet p = decode_raw_ipv6(ctx, frame);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_PKT_TOO_SMALL));
  EXPECT_EQ(ctx.stats().invalid, 1u);
}

TEST(Ipv6Decoder, WrongVersion) {
  DecodeContext ctx;
  Bytes frame = ipv6(kNone, {});
  frame[0] = 0x45;
  Packet p = decode_raw_ipv6(ctx, frame);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_WRONG_IP_VER));
}

TEST(Ipv6Decoder, PayloadLengthBeyondCaptureIsTruncated) {
  DecodeContext ctx;
  Bytes frame = ipv6(kUdp, udp(1, 2, Bytes(20, 'x')), 64, v6addr(1), v6addr(2), 100);
  Packet p = decode_raw_ipv6(ctx, frame);
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_TRUNC_PKT));
  EXPECT_EQ(p.l4, Layer::kCount);
}

TEST(Ipv6Decoder, HopByHopWithOnlyPaddingIsFlaggedAndSkipped) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kHbh, cat({pad_only_opts(kUdp), udp(1000, 2000)})));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtHopByHop);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_HOPOPTS_ONLY_PADDING));
  EXPECT_EQ(p.ip_hdr_len, 48);
  EXPECT_EQ(p.ip_proto, kUdp);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 2000);
}

TEST(Ipv6Decoder, RouterAlertIsAKnownOption) {
  DecodeContext ctx;
  Bytes hbh = ext(kUdp, {0x05, 0x02, 0x00, 0x00, 0x01, 0x00});  // RA(MLD) + PadN(0)
  Packet p = decode_raw_ipv6(ctx, ipv6(kHbh, cat({hbh, udp(1, 2)})));
  EXPECT_FALSE(p.invalid);
  EXPECT_FALSE(p.has_event(DecodeEvent::IPV6_HOPOPTS_UNKNOWN_OPT));
  EXPECT_FALSE(p.has_event(DecodeEvent::IPV6_HOPOPTS_ONLY_PADDING));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_ZERO_LEN_PADN));
}

TEST(Ipv6Decoder, UnknownOptionsPerHeaderKind) {
  DecodeContext ctx;
  const Bytes unknown = {0x3e, 0x04, 1, 2, 3, 4};
  Packet p =
      decode_raw_ipv6(ctx, ipv6(kHbh, cat({ext(kDst, unknown), ext(kUdp, unknown), udp(1, 2)})));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_HOPOPTS_UNKNOWN_OPT));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_DSTOPTS_UNKNOWN_OPT));
  EXPECT_EQ(p.ipv6_exthdrs, kExtHopByHop | kExtDstOpts);
  EXPECT_EQ(p.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, OptionOverrunningItsHeaderIsInvalidLength) {
  DecodeContext ctx;
  Packet p =
      decode_raw_ipv6(ctx, ipv6(kHbh, cat({ext(kUdp, {0x3e, 0x05, 0, 0, 0, 0}), udp(1, 2)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_INVALID_OPTLEN));
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kUdp);  // like Suricata, the chain is still followed
}

TEST(Ipv6Decoder, JumboOptionTooShortIsInvalidLength) {
  DecodeContext ctx;
  Packet p =
      decode_raw_ipv6(ctx, ipv6(kHbh, cat({ext(kUdp, {0xc2, 0x02, 0, 0, 1, 0}), udp(1, 2)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_INVALID_OPTLEN));
}

TEST(Ipv6Decoder, ExtensionHeaderLongerThanPayloadIsTruncated) {
  DecodeContext ctx;
  Bytes hbh = {kUdp, 3, 0x01, 0x04, 0, 0, 0, 0};  // claims 32 bytes, has 8
  Packet p = decode_raw_ipv6(ctx, ipv6(kHbh, hbh));
  EXPECT_TRUE(p.invalid);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_TRUNC_EXTHDR));
  EXPECT_EQ(p.l4, Layer::kCount);

  Packet q = decode_raw_ipv6(ctx, ipv6(kDst, {kUdp}));  // 1 byte: not even the length field
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_TRUNC_EXTHDR));
}

TEST(Ipv6Decoder, RoutingHeaderTypeIsRecordedAndType0Flagged) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kRouting, cat({routing(kUdp, 2), udp(1, 2)})));
  EXPECT_EQ(p.ipv6_rh_type, 2);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtRouting);
  EXPECT_FALSE(p.has_event(DecodeEvent::IPV6_RH_TYPE_0));
  EXPECT_EQ(p.l4, Layer::kUdp);

  Packet q = decode_raw_ipv6(
      ctx, ipv6(kRouting, cat({routing(kRouting, 0), routing(kUdp, 2), udp(1, 2)})));
  EXPECT_EQ(q.ipv6_rh_type, 0);
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_RH_TYPE_0));
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_RH));
  EXPECT_EQ(q.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, NonFirstFragmentStopsDecoding) {
  DecodeContext ctx;
  const Bytes data(16, 'd');
  const Bytes frame = ipv6(kFrag, cat({fragment(kUdp, 1448, true, 0xdeadbeef), data}));
  Packet p = decode_raw_ipv6(ctx, frame);
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtFragment);
  EXPECT_EQ(p.frag_offset, 1448);
  EXPECT_TRUE(p.frag_more);
  EXPECT_EQ(p.frag_id, 0xdeadbeefu);
  EXPECT_EQ(p.ip_id, 0xbeef);
  EXPECT_EQ(p.frag_next_hdr, kUdp);
  EXPECT_EQ(p.ip_proto, kUdp);
  EXPECT_EQ(p.frag_unfrag_len, 40);
  EXPECT_EQ(p.ip_hdr_len, 48);
  EXPECT_EQ(p.l4, Layer::kCount);
  EXPECT_EQ(p.payload_len, 16u);
  EXPECT_EQ(p.payload[0], 'd');
  EXPECT_EQ(p.event_count, 0);
}

TEST(Ipv6Decoder, FirstFragmentIsLeftForReassembly) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(
      ctx,
      ipv6(kHbh, cat({pad_only_opts(kFrag), fragment(kUdp, 0, true, 7), udp(1, 2, Bytes(8))})));
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.frag_offset, 0);
  EXPECT_EQ(p.frag_unfrag_len, 48);  // IPv6 header + hop-by-hop
  EXPECT_EQ(p.l4, Layer::kCount);
  EXPECT_EQ(p.payload_len, 16u);
}

TEST(Ipv6Decoder, FragmentLengthNotMultipleOf8) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kFrag, cat({fragment(kUdp, 0, true, 7), Bytes(13)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_FRAG_INVALID_LENGTH));
  // The last fragment may have any length.
  Packet q = decode_raw_ipv6(ctx, ipv6(kFrag, cat({fragment(kUdp, 8, false, 7), Bytes(13)})));
  EXPECT_FALSE(q.has_event(DecodeEvent::IPV6_FRAG_INVALID_LENGTH));
}

TEST(Ipv6Decoder, AtomicFragmentIsDecodedOn) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kFrag, cat({fragment(kUdp, 0, false, 9), udp(7, 8)})));
  EXPECT_FALSE(p.is_fragment);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_USELESS_FH));
  EXPECT_EQ(p.frag_id, 9u);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.dport, 8);
}

TEST(Ipv6Decoder, SecondFragmentHeaderIsDuplicate) {
  DecodeContext ctx;
  Bytes f1 = fragment(kFrag, 0, false, 1);
  f1[1] = 0x5;  // reserved byte set
  Packet p = decode_raw_ipv6(ctx, ipv6(kFrag, cat({f1, fragment(kUdp, 64, true, 2), udp(1, 2)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_FH_NON_ZERO_RES_FIELD));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_FH));
  EXPECT_FALSE(p.is_fragment);  // the duplicate is skipped, not used
  EXPECT_EQ(p.frag_id, 1u);
  EXPECT_EQ(p.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, TwoDestinationOptionHeadersAreFineAThirdIsDuplicate) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(
      ctx,
      ipv6(kDst, cat({pad_only_opts(kRouting), routing(kDst, 2), pad_only_opts(kUdp), udp(1, 2)})));
  EXPECT_FALSE(p.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_DH));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_DSTOPTS_ONLY_PADDING));
  EXPECT_EQ(p.l4, Layer::kUdp);

  Packet q = decode_raw_ipv6(
      ctx,
      ipv6(kDst, cat({pad_only_opts(kDst), pad_only_opts(kDst), pad_only_opts(kUdp), udp(1, 2)})));
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_DH));
  EXPECT_EQ(q.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, DuplicateHopByHop) {
  DecodeContext ctx;
  Packet p =
      decode_raw_ipv6(ctx, ipv6(kHbh, cat({pad_only_opts(kHbh), pad_only_opts(kUdp), udp(1, 2)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_HH));
  EXPECT_EQ(p.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, AuthenticationHeaderUsesRfc4302Length) {
  DecodeContext ctx;
  // Payload length 4 -> (4 + 2) * 4 = 24 bytes: 12 fixed + 12 ICV.
  Bytes ah = {kAh, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};
  ah.insert(ah.end(), 12, 0xcc);
  ah[0] = kAh;  // a second AH follows
  Bytes ah2 = ah;
  ah2[0] = kTcp;
  ah2[2] = 0x01;  // reserved not zero
  Packet p = decode_raw_ipv6(ctx, ipv6(kAh, cat({ah, ah2, test::tcp(1234, 80, kTcpSyn)})));
  EXPECT_TRUE(p.ipv6_exthdrs & kExtAh);
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_DUPL_AH));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_AH_RES_NOT_NULL));
  EXPECT_EQ(p.ip_hdr_len, 40 + 48);
  EXPECT_EQ(p.l4, Layer::kTcp);
  EXPECT_EQ(p.dport, 80);
}

TEST(Ipv6Decoder, EspEndsDecoding) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kEsp, Bytes(32, 0xab)));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtEsp);
  EXPECT_EQ(p.ip_proto, kEsp);
  EXPECT_EQ(p.l4, Layer::kCount);
  EXPECT_EQ(p.payload_len, 32u);
}

TEST(Ipv6Decoder, NoNextHeader) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(kNone, {}));
  EXPECT_FALSE(p.invalid);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtNone);
  EXPECT_EQ(p.ip_proto, kNone);
  EXPECT_EQ(p.event_count, 0);

  Packet q = decode_raw_ipv6(ctx, ipv6(kDst, cat({pad_only_opts(kNone), Bytes(4, 1)})));
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_DATA_AFTER_NONE_HEADER));
  EXPECT_FALSE(q.invalid);
}

TEST(Ipv6Decoder, MobilityHeaderIsSkipped) {
  DecodeContext ctx;
  Bytes mh = {kNone, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // 16 bytes
  Packet p = decode_raw_ipv6(ctx, ipv6(kMobility, mh));
  EXPECT_TRUE(p.ipv6_exthdrs & kExtMobility);
  EXPECT_TRUE(p.ipv6_exthdrs & kExtNone);
  EXPECT_EQ(p.ip_hdr_len, 56);
}

TEST(Ipv6Decoder, ChainLongerThanConfiguredStops) {
  DecodeConfig cfg;
  cfg.max_ipv6_exthdrs = 2;
  DecodeContext ctx(cfg);
  Packet p = decode_raw_ipv6(
      ctx,
      ipv6(kHbh, cat({pad_only_opts(kRouting), routing(kDst, 2), pad_only_opts(kUdp), udp(1, 2)})));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_EXTHDR_CHAIN_TOO_LONG));
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kCount);

  DecodeContext defaults;
  Packet q = decode_raw_ipv6(
      defaults,
      ipv6(kHbh, cat({pad_only_opts(kRouting), routing(kDst, 2), pad_only_opts(kUdp), udp(1, 2)})));
  EXPECT_FALSE(q.has_event(DecodeEvent::IPV6_EXTHDR_CHAIN_TOO_LONG));
  EXPECT_EQ(q.l4, Layer::kUdp);
}

TEST(Ipv6Decoder, LongChainOfDuplicatesIsBounded) {
  DecodeContext ctx;
  Bytes chain;
  for (int i = 0; i < 40; ++i) chain = cat({chain, routing(kRouting, 2)});
  chain = cat({chain, routing(kUdp, 2), udp(1, 2)});
  Packet p = decode_raw_ipv6(ctx, ipv6(kRouting, chain));
  // The packet keeps only its first events (all DUPL_RH here); stats count all.
  EXPECT_EQ(ctx.stats().events[static_cast<size_t>(DecodeEvent::IPV6_EXTHDR_CHAIN_TOO_LONG)], 1u);
  EXPECT_EQ(ctx.stats().events[static_cast<size_t>(DecodeEvent::IPV6_EXTHDR_DUPL_RH)],
            15u);  // 16 headers walked
  EXPECT_TRUE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kCount);
}

TEST(Ipv6Decoder, Ipv6InIpv6ShowsTheInnerPacket) {
  DecodeContext ctx;
  Bytes inner = ipv6(kUdp, udp(4000, 5000), 9, v6addr(0x33), v6addr(0x44));
  Packet p = decode_raw_ipv6(
      ctx, ipv6(kFrag, cat({fragment(41, 0, false, 5), inner})));  // atomic fragment outside
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(p.src, IpAddr::v6(v6addr(0x33).data()));
  EXPECT_EQ(p.dst, IpAddr::v6(v6addr(0x44).data()));
  EXPECT_EQ(p.ttl, 9);
  EXPECT_EQ(p.ipv6_exthdrs, 0);  // the inner header has none
  EXPECT_EQ(p.frag_id, 0u);
  EXPECT_EQ(p.ip_hdr, p.data + 48);
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.sport, 4000);
}

TEST(Ipv6Decoder, TunnelHeaderChecks) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(41, Bytes(20, 0x60)));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_IN_IPV6_PKT_TOO_SMALL));
  EXPECT_TRUE(p.invalid);
  Packet q = decode_raw_ipv6(ctx, ipv6(41, Bytes(40, 0x45)));
  EXPECT_TRUE(q.has_event(DecodeEvent::IPV6_IN_IPV6_WRONG_VERSION));
  Packet r = decode_raw_ipv6(ctx, ipv6(4, Bytes(12, 0x45)));
  EXPECT_TRUE(r.has_event(DecodeEvent::IPV4_IN_IPV6_PKT_TOO_SMALL));
  Packet s = decode_raw_ipv6(ctx, ipv6(4, Bytes(20, 0x65)));
  EXPECT_TRUE(s.has_event(DecodeEvent::IPV4_IN_IPV6_WRONG_VERSION));
  EXPECT_EQ(s.src, IpAddr::v6(v6addr(1).data()));  // outer view kept
}

TEST(Ipv6Decoder, Ipv4InIpv6IsHandedToTheIpv4Decoder) {
  DecodeContext ctx;
  const Bytes inner = {0x45, 0, 0,  28, 0, 1, 0,    0,    64,   kUdp, 0, 0, 10, 0,
                       0,    1, 10, 0,  0, 2, 0x10, 0x00, 0x20, 0x00, 0, 8, 0,  0};
  Packet p = decode_raw_ipv6(ctx, ipv6(4, inner));
  EXPECT_EQ(p.tunnel_depth, 1);
  EXPECT_EQ(ctx.stats().layers[static_cast<size_t>(Layer::kIpv4)], 1u);
  const uint8_t inner_src[] = {10, 0, 0, 1};
  EXPECT_EQ(p.ip_version, 4);
  EXPECT_EQ(p.src, IpAddr::v4(inner_src));
  EXPECT_EQ(p.l4, Layer::kUdp);
  EXPECT_EQ(p.sport, 0x1000);
}

TEST(Ipv6Decoder, Icmpv4InsideIpv6IsFlagged) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(1, {8, 0, 0, 0, 0, 1, 0, 1}));
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_WITH_ICMPV4));
  EXPECT_EQ(p.ip_proto, 1);
  EXPECT_EQ(p.l4, Layer::kCount);
}

TEST(Ipv6Decoder, UnknownNextHeader) {
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, ipv6(89, Bytes(24, 0)));  // OSPFv3
  EXPECT_TRUE(p.has_event(DecodeEvent::IPV6_UNKNOWN_NEXT_HEADER));
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.ip_proto, 89);
  EXPECT_EQ(p.payload_len, 24u);
}

// Every prefix of a packet with a long header chain, and every payload
// length claim: decoded without reading outside the buffer (checked under
// ASan, where each prefix lives in its own exactly-sized allocation).
TEST(Ipv6Decoder, EveryTruncationIsSafe) {
  Bytes hbh = ext(kRouting, {0x05, 0x02, 0, 0, 0x01, 0x00, 0xc2, 0x04, 0, 1, 0, 0, 0x3e, 0x00});
  const Bytes full =
      ipv6(kHbh, cat({hbh, routing(kDst, 0), pad_only_opts(kFrag),
                      Bytes{kFrag, 1, 0, 0, 0, 0, 0, 0}, fragment(41, 0, false, 1),
                      ipv6(kTcp, test::tcp(1, 2, kTcpAck, {2, 4, 5, 0xb4, 1, 3, 3, 7}))}));
  for (size_t n = 0; n <= full.size(); ++n) {
    for (int plen : {-1, 0, 1, 7, 8, 500, 0xffff}) {
      Bytes frame(full.begin(), full.begin() + static_cast<long>(n));
      if (n >= 6 && plen >= 0) {
        frame[4] = static_cast<uint8_t>(plen >> 8);
        frame[5] = static_cast<uint8_t>(plen);
      }
      DecodeContext ctx;
      Packet p = decode_raw_ipv6(ctx, frame);
      if (n < full.size() && plen < 0) {
        EXPECT_TRUE(p.invalid) << n;
      }
    }
  }
  DecodeContext ctx;
  Packet p = decode_raw_ipv6(ctx, full);
  EXPECT_FALSE(p.invalid);
  EXPECT_EQ(p.l4, Layer::kTcp);
  EXPECT_EQ(p.tunnel_depth, 1);
}

}  // namespace
}  // namespace nsm4
