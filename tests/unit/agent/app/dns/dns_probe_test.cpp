#include "app/dns/dns_probe.h"

#include <gtest/gtest.h>

#include <vector>

#include "agent/app/dns/dns_builder.h"

namespace nsm4::app::dns {
namespace {

using test::framed;
using test::prefix;

TEST(DnsProbe, Udp) {
  EXPECT_EQ(probe_udp(Dir::kToServer, test::query(1, "example.com", 1)), Probe::kMatch);
  EXPECT_EQ(probe_udp(Dir::kToClient, test::a_response(1, "example.com", {1, 2})), Probe::kMatch);
  std::vector<uint8_t> http = {'G', 'E', 'T', ' ', '/', ' ', 'H',  'T',
                               'T', 'P', '/', '1', '.', '1', '\r', '\n'};
  EXPECT_EQ(probe_udp(Dir::kToServer, http), Probe::kNoMatch);
  const auto full = test::query(1, "example.com", 1);
  const auto q = prefix(full, full.size() - 3);  // question cut
  EXPECT_EQ(probe_udp(Dir::kToServer, q), Probe::kNoMatch);
  EXPECT_EQ(probe_udp(Dir::kToServer, {}), Probe::kNoMatch);
}

TEST(DnsProbe, TcpNeedsMoreUntilTheHeaderIsThere) {
  const auto f = framed(test::query(7, "www.google.com", 1));
  for (size_t n = 0; n <= f.size(); ++n) {
    const Probe p = probe_tcp(Dir::kToServer, std::span(f).first(n));
    if (n < 14) {
      EXPECT_EQ(p, Probe::kNeedMore) << n;
    } else {
      EXPECT_EQ(p, Probe::kMatch) << n;
    }
  }
}

TEST(DnsProbe, TcpRejectsImplausibleHeaders) {
  auto msg = test::query(7, "www.google.com", 1);
  msg[5] = 200;  // 200 questions in a 32-byte message
  EXPECT_EQ(probe_tcp(Dir::kToServer, framed(msg)), Probe::kNoMatch);
  std::vector<uint8_t> tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc,
                              0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(probe_tcp(Dir::kToServer, tls), Probe::kNoMatch);
  EXPECT_EQ(probe_tcp(Dir::kToServer, std::vector<uint8_t>{0, 3, 1, 2, 3}), Probe::kNoMatch);
}

}  // namespace
}  // namespace nsm4::app::dns
