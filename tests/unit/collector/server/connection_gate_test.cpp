#include "server/connection_gate.h"

#include <gtest/gtest.h>

namespace nsm4::collector::server_detail {
namespace {

namespace ip = boost::asio::ip;

TEST(ConnectionGateTest, LoopbackPeersForPlainLoopbackMode) {
  for (const char* a : {"127.0.0.1", "127.10.20.30", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(is_loopback_peer(ip::make_address(a))) << a;
  for (const char* a : {"10.0.0.1", "128.0.0.1", "::", "::2", "::ffff:10.0.0.1", "fe80::1"})
    EXPECT_FALSE(is_loopback_peer(ip::make_address(a))) << a;
}

TEST(ConnectionGateTest, PeerTextShowsMappedAddressesAsIpv4) {
  EXPECT_EQ(peer_text({ip::make_address("::ffff:192.0.2.7"), 4000}), "192.0.2.7:4000");
  EXPECT_EQ(peer_text({ip::make_address("2001:db8::1"), 443}), "[2001:db8::1]:443");
  EXPECT_EQ(peer_text({ip::make_address("127.0.0.1"), 1}), "127.0.0.1:1");
}

}  // namespace
}  // namespace nsm4::collector::server_detail
