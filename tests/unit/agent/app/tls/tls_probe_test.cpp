#include "app/tls/tls_probe.h"

#include <gtest/gtest.h>

#include <vector>

namespace nsm4::app::tls {
namespace {

Probe run(Dir d, std::vector<uint8_t> b) {
  return probe(d, b);
}

TEST(TlsProbe, ClientAndServerHello) {
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 1, 0x02, 0x00, 1, 0, 1, 0xfc}), Probe::kMatch);
  EXPECT_EQ(run(Dir::kToClient, {22, 3, 3, 0x00, 0x50, 2}), Probe::kMatch);
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 0, 0x00, 0x50, 1}), Probe::kMatch);  // SSLv3
  // The wrong first message for the direction.
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 3, 0x00, 0x50, 2}), Probe::kNoMatch);
  EXPECT_EQ(run(Dir::kToClient, {22, 3, 3, 0x00, 0x50, 1}), Probe::kNoMatch);
}

TEST(TlsProbe, NeedsMoreOnAPrefix) {
  std::vector<uint8_t> full = {22, 3, 1, 0x02, 0x00, 1};
  for (size_t n = 0; n < full.size(); ++n)
    EXPECT_EQ(probe(Dir::kToServer, std::span(full).first(n)), Probe::kNeedMore) << n;
}

TEST(TlsProbe, RejectsOtherProtocols) {
  EXPECT_EQ(run(Dir::kToServer, {'G', 'E', 'T', ' ', '/', ' '}), Probe::kNoMatch);
  EXPECT_EQ(run(Dir::kToServer, {22, 2, 0, 0, 10, 1}), Probe::kNoMatch);       // version 2.0
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 9, 0, 10, 1}), Probe::kNoMatch);       // version 3.9
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 1, 0xff, 0xff, 1}), Probe::kNoMatch);  // too long
  EXPECT_EQ(run(Dir::kToServer, {23, 3, 3, 0, 10, 1}), Probe::kNoMatch);       // application data
}

// A handshake record too short for a hello is still TLS by its header (as
// Suricata's 16 03 0x patterns): the parser reports the bad record.
TEST(TlsProbe, ShortHandshakeRecordIsTlsByItsHeader) {
  EXPECT_EQ(run(Dir::kToServer, {22, 3, 1, 0, 2, 1}), Probe::kMatch);
  EXPECT_EQ(run(Dir::kToClient, {22, 3, 0, 0, 0}), Probe::kMatch);
}

TEST(TlsProbe, Sslv2ClientHello) {
  EXPECT_EQ(run(Dir::kToServer, {0x80, 0x2e, 1, 3, 1, 0, 0x15}), Probe::kMatch);
  EXPECT_EQ(run(Dir::kToServer, {0x80, 0x2e, 1, 0, 2, 0, 0x15}), Probe::kMatch);
  EXPECT_EQ(run(Dir::kToServer, {0x80, 0x2e, 7, 3, 1, 0, 0x15}), Probe::kNoMatch);
  EXPECT_EQ(run(Dir::kToServer, {0x80, 0x2e}), Probe::kNeedMore);
}

}  // namespace
}  // namespace nsm4::app::tls
