#include "app/http/http_uri.h"

#include <gtest/gtest.h>

namespace nsm4::app::http {
namespace {

TEST(HttpUri, DotSegments) {
  EXPECT_EQ(normalize_uri("/../a/b/../c/./d.html", false), "/a/c/d.html");
  EXPECT_EQ(normalize_uri("/a/./b/.", false), "/a/b/");
  EXPECT_EQ(normalize_uri("/a/b/..", false), "/a/");
  EXPECT_EQ(normalize_uri("/..", false), "/");
  EXPECT_EQ(remove_dot_segments("a/../b"), "/b");
}

TEST(HttpUri, PercentDecoding) {
  EXPECT_EQ(normalize_uri("/normalized%20uri", false), "/normalized uri");
  EXPECT_EQ(normalize_uri("/a%2fb", false), "/a/b");
  EXPECT_EQ(normalize_uri("/a%5c..%5cb", false), "/b");
  EXPECT_EQ(normalize_uri("/%zz%4", false), "/%zz%4");  // invalid encodings stay
  EXPECT_EQ(normalize_uri("/%u0041B", false), "/AB");
  EXPECT_EQ(normalize_uri("/%uff41", false), "/a");  // full-width 'a'
}

TEST(HttpUri, SlashesAndBackslashes) {
  EXPECT_EQ(normalize_uri("//index.php", false), "/index.php");
  EXPECT_EQ(normalize_uri("/a\\b//c", false), "/a/b/c");
}

TEST(HttpUri, Utf8BestFit) {
  EXPECT_EQ(normalize_uri("/%c3%a9", false), "/\xe9");                   // U+00E9 -> one byte
  EXPECT_EQ(normalize_uri("/%e2%82%ac", false), "/?");                   // no best fit
  EXPECT_EQ(normalize_uri("/%c0%af", false), std::string("/\xc0\xaf"));  // overlong: kept
}

TEST(HttpUri, QueryKeptFragmentDecoded) {
  EXPECT_EQ(normalize_uri("/a/../b?x=/../%20#f%20g", false), "/b?x=/../%20#f g");
  EXPECT_EQ(normalize_uri("/search?q=123&aq=7123abcee", false), "/search?q=123&aq=7123abcee");
}

TEST(HttpUri, AbsoluteUri) {
  UriParts p = split_uri("http://User@Example.COM:8080/x/../y?q", false);
  EXPECT_EQ(p.scheme, "http");
  EXPECT_EQ(p.authority, "User@Example.COM:8080");
  EXPECT_EQ(p.path, "/x/../y");
  EXPECT_EQ(p.query, "q");
  EXPECT_EQ(normalize_uri("http://example.com/x/../y?q", false), "/y?q");
  HostPort hp = parse_authority(p.authority);
  EXPECT_EQ(hp.host, "example.com");
  EXPECT_EQ(hp.port, 8080);
}

TEST(HttpUri, Authority) {
  EXPECT_EQ(parse_authority("Host.Example.").host, "host.example");
  EXPECT_EQ(parse_authority("host").port, -1);
  EXPECT_TRUE(parse_authority("host:99999").port_invalid);
  HostPort v6 = parse_authority("[::1]:81");
  EXPECT_EQ(v6.host, "[::1]");
  EXPECT_EQ(v6.port, 81);
  EXPECT_EQ(normalize_uri("secure.example.com:443", true), "secure.example.com:443");
}

}  // namespace
}  // namespace nsm4::app::http
