#include "output/forward_url.h"

#include <gtest/gtest.h>

namespace nsm4::forward {
namespace {

TEST(ForwardUrl, HttpsWithPortAndDefaultPath) {
  std::string err;
  auto u = parse_forward_url("https://127.0.0.1:9443", err);
  ASSERT_TRUE(u) << err;
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "9443");
  EXPECT_EQ(u->target, "/api/v1/events");
  EXPECT_TRUE(u->host_is_ip);
}

TEST(ForwardUrl, NamesIpv6PrefixesAndDefaults) {
  std::string err;
  auto a = parse_forward_url("https://collector.example.org/", err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->port, "443");
  EXPECT_FALSE(a->host_is_ip);
  EXPECT_EQ(a->target, "/api/v1/events");

  auto b = parse_forward_url("https://[::1]:8443/nsm", err);
  ASSERT_TRUE(b) << err;
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->port, "8443");
  EXPECT_EQ(b->target, "/nsm/api/v1/events");
  EXPECT_TRUE(b->host_is_ip);

  auto c = parse_forward_url("http://localhost:8080/api/v1/events", err);
  ASSERT_TRUE(c) << err;
  EXPECT_FALSE(c->tls);
  EXPECT_EQ(c->target, "/api/v1/events");

  auto d = parse_forward_url("https://[::1]", err);
  ASSERT_TRUE(d) << err;
  EXPECT_EQ(d->port, "443");
}

TEST(ForwardUrl, BadUrlsSayWhy) {
  for (const char* bad :
       {"ftp://x", "127.0.0.1:9443", "https://", "https://h:0", "https://h:99999", "https://h:x",
        "https://[::1", "https://u:p@h", "https://h/x?y=1", "https://[::1]x"}) {
    std::string err;
    EXPECT_FALSE(parse_forward_url(bad, err)) << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

}  // namespace
}  // namespace nsm4::forward
