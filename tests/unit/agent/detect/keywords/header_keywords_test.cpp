// The header and flow keywords (one table row each in agent/detect/keywords/):
// each matches what Suricata matches on crafted packets, and rejects bad
// option text.
#include <gtest/gtest.h>

#include "../detect_test_util.h"
#include "decode/ipv4_options.h"
#include "detect/detect_thread.h"

namespace nsm4::detect {
namespace {

// Whether a tcp/udp/icmp/ip rule with `options` alerts on `p`.
bool fires(const std::string& proto, const std::string& options, const Packet& p, Flow* f = nullptr,
           bool toserver = true) {
  auto e = test::engine("alert " + proto + " any any -> any any (" + options + " sid:1;)");
  if (e->rules().size() != 1) {
    ADD_FAILURE() << "not compiled: " << options;
    return false;
  }
  DetectThread t(e);
  t.inspect(p, f, toserver);
  return t.alerts().size() == 1;
}

const std::string kEmpty;

TEST(HeaderKeywordsTest, TcpFlagsModifiersAndMask) {
  Packet p = test::ipv4_packet(kEmpty);
  p.tcp_flags = kTcpSyn | kTcpEce | kTcpCwr;
  EXPECT_FALSE(fires("tcp", "flags:S;", p));
  EXPECT_TRUE(fires("tcp", "flags:S,CE;", p));  // CWR and ECE ignored
  EXPECT_TRUE(fires("tcp", "flags:S,12;", p));  // old names for them
  EXPECT_TRUE(fires("tcp", "tcp.flags:S+;", p));
  EXPECT_TRUE(fires("tcp", "flags:*SA;", p));
  EXPECT_TRUE(fires("tcp", "flags:!SA;", p));
  EXPECT_FALSE(fires("tcp", "flags:!S;", p));
  p.tcp_flags = 0;
  EXPECT_TRUE(fires("tcp", "flags:0;", p));
  Packet u = test::ipv4_packet(kEmpty, 17);
  EXPECT_FALSE(fires("ip", "flags:0;", u));  // not TCP
}

TEST(HeaderKeywordsTest, TcpNumbers) {
  Packet p = test::ipv4_packet(kEmpty);
  p.tcp_seq = 1000;
  p.tcp_ack = 2000;
  p.tcp_window = 512;
  EXPECT_TRUE(fires("tcp", "seq:1000;", p));
  EXPECT_FALSE(fires("tcp", "seq:1001;", p));
  EXPECT_TRUE(fires("tcp", "ack:2000;", p));
  EXPECT_TRUE(fires("tcp", "window:512;", p));
  EXPECT_TRUE(fires("tcp", "window:!513;", p));
}

TEST(HeaderKeywordsTest, IpFields) {
  Packet p = test::ipv4_packet(kEmpty);
  p.ttl = 3;
  p.ip_id = 4321;
  EXPECT_TRUE(fires("ip", "ttl:3;", p));
  EXPECT_TRUE(fires("ip", "ttl:<4;", p));
  EXPECT_TRUE(fires("ip", "ttl:1-3;", p));
  EXPECT_FALSE(fires("ip", "ttl:4-9;", p));
  EXPECT_TRUE(fires("ip", "ttl:2<>4;", p));
  EXPECT_TRUE(fires("ip", "id:4321;", p));
  EXPECT_TRUE(fires("ip", "ip_proto:6;", p));
  EXPECT_TRUE(fires("ip", "ip_proto:tcp;", p));
  EXPECT_TRUE(fires("ip", "ip_proto:!17;", p));
  EXPECT_FALSE(fires("ip", "ip_proto:udp;", p));
}

TEST(HeaderKeywordsTest, FragbitsAndIpopts) {
  Packet p = test::ipv4_packet(kEmpty);
  p.frag_df = true;
  EXPECT_TRUE(fires("ip", "fragbits:D;", p));
  EXPECT_FALSE(fires("ip", "fragbits:M;", p));
  EXPECT_TRUE(fires("ip", "fragbits:*MD;", p));
  p.frag_more = true;
  EXPECT_TRUE(fires("ip", "fragbits:MD;", p));
  EXPECT_TRUE(fires("ip", "fragbits:M+;", p));
  p.ip_opts = kIpOptRr | kIpOptNop;
  EXPECT_TRUE(fires("ip", "ipopts:rr;", p));
  EXPECT_FALSE(fires("ip", "ipopts:lsrr;", p));
  EXPECT_TRUE(fires("ip", "ipopts:any;", p));
  p.ip_opts = 0;
  EXPECT_FALSE(fires("ip", "ipopts:any;", p));
}

TEST(HeaderKeywordsTest, Icmp) {
  Packet p = test::ipv4_packet(kEmpty, 1);
  p.icmp_type = 8;
  p.icmp_code = 0;
  p.icmp_id = 77;
  p.icmp_seq = 5;
  EXPECT_TRUE(fires("icmp", "itype:8;", p));
  EXPECT_TRUE(fires("icmp", "itype:>7;", p));
  EXPECT_TRUE(fires("icmp", "itype:7<>9;", p));
  EXPECT_FALSE(fires("icmp", "itype:0;", p));
  EXPECT_TRUE(fires("icmp", "icode:0;", p));
  EXPECT_TRUE(fires("icmp", "icmp_id:77;", p));
  EXPECT_TRUE(fires("icmp", "icmp_seq:5;", p));
  p.icmp_type = 3;  // unreachable carries no id
  EXPECT_FALSE(fires("icmp", "icmp_id:77;", p));
  // `icmp` rules see ICMPv6 too, as in Suricata.
  Packet v6 = test::ipv4_packet(kEmpty, 1);
  v6.ip_proto = 58;
  v6.l4 = Layer::kIcmpv6;
  v6.icmp_type = 128;
  EXPECT_TRUE(fires("icmp", "itype:128;", v6));
  EXPECT_TRUE(fires("icmpv6", "itype:128;", v6));
  EXPECT_FALSE(fires("icmpv6", "itype:128;", p));
}

TEST(HeaderKeywordsTest, HeaderBuffers) {
  uint8_t tcp_hdr[24] = {0x04, 0xd2, 0,    80,   0, 0, 0, 1, 0,    0,    0,    0,
                         0x60, 0x02, 0xff, 0xff, 0, 0, 0, 0, 0x02, 0x04, 0x05, 0xb4};
  Packet p = test::ipv4_packet(kEmpty);
  p.l4_hdr = tcp_hdr;
  p.l4_hdr_len = 24;
  EXPECT_TRUE(fires("tcp", "tcp.hdr; content:\"|02 04|\"; offset:20; depth:2;", p));
  EXPECT_TRUE(
      fires("tcp", "tcp.hdr; content:\"|02 04|\"; offset:20; byte_test:2,<,1461,0,relative;", p));
  EXPECT_FALSE(fires("tcp", "udp.hdr; bsize:>0;", p));  // no UDP header on a TCP packet
  uint8_t icmp6[8] = {134, 0, 0, 0, 64, 0, 0, 0};       // RA, router lifetime 0
  Packet ra = test::ipv4_packet(kEmpty, 1);
  ra.ip_proto = 58;
  ra.l4 = Layer::kIcmpv6;
  ra.l4_hdr = icmp6;
  ra.l4_hdr_len = 4;  // the decoder's header; the buffer is the 8-byte ICMPv6 header
  ra.payload = icmp6 + 4;
  ra.payload_len = 4;
  EXPECT_TRUE(fires("icmpv6", "icmpv6.hdr; content:\"|00 00|\"; offset:6; depth:2;", ra));
}

TEST(HeaderKeywordsTest, DsizeAndAppLayerProtocol) {
  std::string four = "abcd";
  Packet p = test::ipv4_packet(four);
  EXPECT_TRUE(fires("tcp", "dsize:4;", p));
  EXPECT_TRUE(fires("tcp", "dsize:3<>5;", p));
  EXPECT_FALSE(fires("tcp", "dsize:>4;", p));
  Flow f = test::make_flow(1);
  // Protocol detection arrives with the app layer: until then nothing matches.
  EXPECT_FALSE(fires("tcp", "app-layer-protocol:http;", p, &f));
  EXPECT_FALSE(fires("tcp", "app-layer-protocol:!http;", p, &f));
}

}  // namespace
}  // namespace nsm4::detect
