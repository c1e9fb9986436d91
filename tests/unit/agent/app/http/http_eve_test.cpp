#include "app/http/http_eve.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agent/app/http/http_test_util.h"

namespace nsm4::app::http {
namespace {

using namespace testing;

nlohmann::json eve_of(std::string_view request, std::string_view response, bool flow_end = false) {
  auto p = make_parser(HttpConfig{});
  req(*p, request);
  res(*p, response);
  auto l = logs(*p, flow_end);
  if (l.size() != 1) return nullptr;
  return nlohmann::json::parse(l[0].body);
}

TEST(HttpEve, AllFields) {
  auto j = eve_of(
      "GET /index.php HTTP/1.0\r\nHost: Site.Example:8080\r\nUser-Agent: Mozilla/5.0\r\n"
      "Referer: http://ref/\r\nX-Forwarded-For: 10.2.2.2\r\n\r\n",
      "HTTP/1.0 302 Found\r\nContent-Type: text/html; charset=UTF-8\r\n"
      "Location: /index.php?page=main.php\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["hostname"], "site.example");
  EXPECT_EQ(j["http_port"], 8080);
  EXPECT_EQ(j["url"], "/index.php");
  EXPECT_EQ(j["http_user_agent"], "Mozilla/5.0");
  EXPECT_EQ(j["xff"], "10.2.2.2");
  EXPECT_EQ(j["http_content_type"], "text/html");
  EXPECT_EQ(j["http_refer"], "http://ref/");
  EXPECT_EQ(j["http_method"], "GET");
  EXPECT_EQ(j["protocol"], "HTTP/1.0");
  EXPECT_EQ(j["status"], 302);
  EXPECT_EQ(j["redirect"], "/index.php?page=main.php");
  EXPECT_EQ(j["length"], 0);
}

TEST(HttpEve, UrlIsRawAndAbsentPartsLeftOut) {
  auto j = eve_of("GET //index.php?page=../../../etc/passwd HTTP/1.1\r\n\r\n",
                  "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["url"], "//index.php?page=../../../etc/passwd");
  EXPECT_EQ(j["length"], 3);
  EXPECT_FALSE(j.contains("hostname"));
  EXPECT_FALSE(j.contains("http_port"));
  EXPECT_FALSE(j.contains("xff"));
  EXPECT_FALSE(j.contains("redirect"));
}

TEST(HttpEve, RequestOnlyAtFlowEnd) {
  auto j = eve_of("OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n", "", true);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["http_method"], "OPTIONS");
  EXPECT_EQ(j["hostname"], "example.com");
  EXPECT_FALSE(j.contains("status"));
}

}  // namespace
}  // namespace nsm4::app::http
