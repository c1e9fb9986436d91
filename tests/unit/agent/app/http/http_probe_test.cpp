#include "app/http/http_probe.h"

#include <gtest/gtest.h>

#include <string_view>

namespace nsm4::app::http {
namespace {

Probe p(Dir d, std::string_view s) {
  return probe(d, {reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(HttpProbe, RequestMethods) {
  EXPECT_EQ(p(Dir::kToServer, "GET / HTTP/1.1\r\n"), Probe::kMatch);
  EXPECT_EQ(p(Dir::kToServer, "PROPFIND /x HTTP/1.1\r\n"), Probe::kMatch);
  EXPECT_EQ(p(Dir::kToServer, "CONNECT a:443 HTTP/1.1\r\n"), Probe::kMatch);
  EXPECT_EQ(p(Dir::kToServer, "GE"), Probe::kNeedMore);
  EXPECT_EQ(p(Dir::kToServer, "GET"), Probe::kNeedMore);
  EXPECT_EQ(p(Dir::kToServer, "GETX / HTTP/1.1"), Probe::kNoMatch);
  EXPECT_EQ(p(Dir::kToServer, "get / HTTP/1.1"), Probe::kNoMatch);
  EXPECT_EQ(p(Dir::kToServer, "\x16\x03\x01"), Probe::kNoMatch);
}

TEST(HttpProbe, Response) {
  EXPECT_EQ(p(Dir::kToClient, "HTTP/1.1 200 OK\r\n"), Probe::kMatch);
  EXPECT_EQ(p(Dir::kToClient, "HTT"), Probe::kNeedMore);
  EXPECT_EQ(p(Dir::kToClient, "SSH-2.0"), Probe::kNoMatch);
}

TEST(HttpProbe, KnownMethod) {
  EXPECT_TRUE(is_known_method("OPTIONS"));
  EXPECT_FALSE(is_known_method("FOO"));
}

}  // namespace
}  // namespace nsm4::app::http
