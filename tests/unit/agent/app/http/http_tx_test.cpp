#include "app/http/http_tx.h"

#include <gtest/gtest.h>

#include "agent/app/http/http_test_util.h"

namespace nsm4::app::http {
namespace {

using detect::BufferId;
using namespace testing;

class HttpTxBuffers : public ::testing::Test {
 protected:
  void SetUp() override {
    p_ = make_parser(HttpConfig{});
    req(*p_,
        "POST http://Example.COM:81/a/../b%20c?q=1 HTTP/1.1\r\n"
        "Host: example.com:81\r\n"
        "User-Agent: UA/1\r\n"
        "Accept: */*\r\n"
        "Accept-Encoding: gzip\r\n"
        "Accept-Language: en\r\n"
        "Referer: http://r/\r\n"
        "Cookie: c=1\r\n"
        "Connection: keep-alive\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 3\r\n"
        "\r\n"
        "a=b");
    res(*p_,
        "HTTP/1.1 302 Found\r\n"
        "Location: /elsewhere\r\n"
        "Server: srv\r\n"
        "Set-Cookie: s=2\r\n"
        "Content-Type: text/plain\r\n"
        "Content-Length: 4\r\n"
        "\r\n"
        "body");
  }
  std::string get(BufferId id, int dir = 0) { return buf(*p_, 0, id, dir); }
  std::unique_ptr<AppParser> p_;
};

TEST_F(HttpTxBuffers, RequestLineParts) {
  EXPECT_EQ(get(BufferId::kHttpUri), "/b c?q=1");
  EXPECT_EQ(get(BufferId::kHttpUriRaw), "http://Example.COM:81/a/../b%20c?q=1");
  EXPECT_EQ(get(BufferId::kHttpMethod), "POST");
  EXPECT_EQ(get(BufferId::kHttpProtocol, 0), "HTTP/1.1");
  EXPECT_EQ(get(BufferId::kHttpProtocol, 1), "HTTP/1.1");
  EXPECT_EQ(get(BufferId::kHttpRequestLine), "POST http://Example.COM:81/a/../b%20c?q=1 HTTP/1.1");
  EXPECT_EQ(get(BufferId::kHttpUri, 1), "<absent>");
}

TEST_F(HttpTxBuffers, Headers) {
  EXPECT_EQ(get(BufferId::kHttpHost), "example.com");
  EXPECT_EQ(get(BufferId::kHttpHostRaw), "Example.COM:81");
  EXPECT_EQ(get(BufferId::kHttpUserAgent), "UA/1");
  EXPECT_EQ(get(BufferId::kHttpAccept), "*/*");
  EXPECT_EQ(get(BufferId::kHttpAcceptEnc), "gzip");
  EXPECT_EQ(get(BufferId::kHttpAcceptLang), "en");
  EXPECT_EQ(get(BufferId::kHttpReferer), "http://r/");
  EXPECT_EQ(get(BufferId::kHttpCookie, 0), "c=1");
  EXPECT_EQ(get(BufferId::kHttpCookie, 1), "s=2");
  EXPECT_EQ(get(BufferId::kHttpConnection, 0), "keep-alive");
  EXPECT_EQ(get(BufferId::kHttpConnection, 1), "<absent>");
  EXPECT_EQ(get(BufferId::kHttpContentType, 0), "application/x-www-form-urlencoded");
  EXPECT_EQ(get(BufferId::kHttpContentType, 1), "text/plain");
  EXPECT_EQ(get(BufferId::kHttpContentLen, 0), "3");
  EXPECT_EQ(get(BufferId::kHttpContentLen, 1), "4");
  EXPECT_EQ(get(BufferId::kHttpLocation, 1), "/elsewhere");
  EXPECT_EQ(get(BufferId::kHttpServer, 1), "srv");
  EXPECT_EQ(get(BufferId::kHttpServer, 0), "<absent>");
}

TEST_F(HttpTxBuffers, HeaderBlocks) {
  EXPECT_EQ(get(BufferId::kHttpHeader, 1),
            "Location: /elsewhere\r\nServer: srv\r\nSet-Cookie: s=2\r\n"
            "Content-Type: text/plain\r\nContent-Length: 4\r\n");
  EXPECT_EQ(get(BufferId::kHttpHeaderNames, 1),
            "\r\nLocation\r\nServer\r\nSet-Cookie\r\nContent-Type\r\nContent-Length\r\n\r\n");
  EXPECT_EQ(get(BufferId::kHttpHeaderRaw, 1),
            "Location: /elsewhere\r\nServer: srv\r\nSet-Cookie: s=2\r\n"
            "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\n");
  EXPECT_EQ(get(BufferId::kHttpStart, 1),
            "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nServer: srv\r\nSet-Cookie: s=2\r\n"
            "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\n");
  const std::string h = get(BufferId::kHttpHeader, 0);
  EXPECT_EQ(h.rfind("Host: example.com:81\r\nUser-Agent: UA/1\r\n", 0), 0u);
  EXPECT_NE(h.find("Cookie: c=1\r\n"), std::string::npos);
}

TEST_F(HttpTxBuffers, ResponseLineAndBodies) {
  EXPECT_EQ(get(BufferId::kHttpStatCode, 1), "302");
  EXPECT_EQ(get(BufferId::kHttpStatMsg, 1), "Found");
  EXPECT_EQ(get(BufferId::kHttpResponseLine, 1), "HTTP/1.1 302 Found");
  EXPECT_EQ(get(BufferId::kHttpRequestBody, 0), "a=b");
  EXPECT_EQ(get(BufferId::kHttpResponseBody, 1), "body");
  EXPECT_EQ(get(BufferId::kHttpRequestBody, 1), "<absent>");
  EXPECT_EQ(get(BufferId::kFileData, 0), "a=b");
  EXPECT_EQ(get(BufferId::kFileData, 1), "body");
  int64_t code = 0;
  ASSERT_TRUE(p_->tx_at(0).get_int(detect::TxInt::kHttpStatCode, 1, code));
  EXPECT_EQ(code, 302);
  EXPECT_FALSE(p_->tx_at(0).get_int(detect::TxInt::kDnsRcode, 1, code));
}

TEST_F(HttpTxBuffers, OnlyIndexZeroAndHttpIds) {
  EXPECT_FALSE(p_->tx_at(0).get(BufferId::kHttpUri, 0, 1).present);
  EXPECT_FALSE(p_->tx_at(0).get(BufferId::kDnsQuery, 0, 0).present);
  EXPECT_FALSE(p_->tx_at(0).get(BufferId::kPktData, 0, 0).present);
  EXPECT_FALSE(p_->tx_at(0).get(BufferId::kHttpUri, 2, 0).present);
}

TEST(HttpTxEmpty, NothingPresentBeforeParsing) {
  HttpTx tx;
  for (int id = static_cast<int>(detect::kFirstAppBuffer);
       id < static_cast<int>(detect::BufferId::kCount); ++id)
    for (int dir = 0; dir < 2; ++dir)
      EXPECT_FALSE(tx.get(static_cast<detect::BufferId>(id), dir, 0).present) << id;
  int64_t v = 0;
  EXPECT_FALSE(tx.get_int(detect::TxInt::kHttpUriLen, 0, v));
}

}  // namespace
}  // namespace nsm4::app::http
