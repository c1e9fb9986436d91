#include "app/http/http_parser.h"

#include <gtest/gtest.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <string>

#include "agent/app/http/http_test_util.h"

namespace nsm4::app::http {
namespace {

using detect::BufferId;
using namespace testing;

constexpr std::string_view kReq =
    "GET /../a/b/../c/./d.html?x=1 HTTP/1.1\r\n"
    "Host: WWW.Example.com:8080\r\n"
    "User-Agent: Mozilla/5.0\r\n"
    "Cookie: a=b\r\n"
    "\r\n";
constexpr std::string_view kRes =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Length: 12\r\n"
    "Set-Cookie: s=1\r\n"
    "\r\n"
    "Hello World!";

std::unique_ptr<AppParser> parser(HttpConfig cfg = {}) {
  return make_parser(cfg);
}

std::string gzip(const std::string& in, int bits = 31) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(HttpParser, SimpleExchange) {
  auto p = parser();
  req(*p, kReq);
  ASSERT_EQ(p->tx_count(), 1u);
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  EXPECT_FALSE(p->tx_at(0).complete[1]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUri), "/a/c/d.html?x=1");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUriRaw), "/../a/b/../c/./d.html?x=1");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpMethod), "GET");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpProtocol), "HTTP/1.1");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHost), "www.example.com");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHostRaw), "WWW.Example.com:8080");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpStatCode, 1), "<absent>");
  EXPECT_TRUE(logs(*p).empty());
  res(*p, kRes);
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpStatCode, 1), "200");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "Hello World!");
  auto l = logs(*p);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].type, "http");
  EXPECT_EQ(l[0].tx_id, 0u);
  EXPECT_FALSE(l[0].from_server);
  EXPECT_TRUE(event_names(*p).empty());
  p->prune();
  EXPECT_EQ(p->tx_count(), 0u);
}

// Every buffer of the exchange, as one string, for split comparisons.
std::string all_buffers(AppParser& p) {
  std::string out;
  for (size_t t = 0; t < p.tx_count(); ++t) {
    for (int id = static_cast<int>(detect::kFirstAppBuffer);
         id < static_cast<int>(BufferId::kDnsQuery); ++id)
      for (int dir = 0; dir < 2; ++dir) out += buf(p, t, static_cast<BufferId>(id), dir) + "|";
    out += std::to_string(p.tx_at(t).complete[0]) + std::to_string(p.tx_at(t).complete[1]);
  }
  return out;
}

TEST(HttpParser, SplitAtEveryByte) {
  auto whole = parser();
  req(*whole, kReq);
  res(*whole, kRes);
  const std::string expect = all_buffers(*whole);
  const std::string expect_log = logs(*whole)[0].body;
  for (size_t cut = 0; cut <= kReq.size(); ++cut) {
    auto p = parser();
    feed_split(*p, Dir::kToServer, kReq, cut);
    res(*p, kRes);
    EXPECT_EQ(all_buffers(*p), expect) << "request cut at " << cut;
    auto l = logs(*p);
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].body, expect_log);
  }
  for (size_t cut = 0; cut <= kRes.size(); ++cut) {
    auto p = parser();
    req(*p, kReq);
    feed_split(*p, Dir::kToClient, kRes, cut);
    EXPECT_EQ(all_buffers(*p), expect) << "response cut at " << cut;
  }
}

TEST(HttpParser, ByteByByte) {
  auto p = parser();
  for (char c : kReq) req(*p, std::string_view(&c, 1));
  for (char c : kRes) res(*p, std::string_view(&c, 1));
  auto whole = parser();
  req(*whole, kReq);
  res(*whole, kRes);
  EXPECT_EQ(all_buffers(*p), all_buffers(*whole));
}

TEST(HttpParser, RevisionGrowsWithData) {
  auto p = parser();
  req(*p, "POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab");
  const uint32_t r1 = p->tx_at(0).revision;
  EXPECT_FALSE(p->tx_at(0).complete[0]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), "ab");
  req(*p, "cd");
  EXPECT_GT(p->tx_at(0).revision, r1);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), "abcd");
  EXPECT_EQ(buf(*p, 0, BufferId::kFileData, 0), "abcd");
  EXPECT_TRUE(p->tx_at(0).complete[0]);
}

TEST(HttpParser, UriBeforeHeadersEnd) {
  auto p = parser();
  req(*p, "POST /normalized%20uri HTTP/1.0\r\nUser-Agent: Mozilla/1.0\r\n");
  ASSERT_EQ(p->tx_count(), 1u);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUri), "/normalized uri");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUriRaw), "/normalized%20uri");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHeader), "<absent>");
  int64_t len = 0;
  ASSERT_TRUE(p->tx_at(0).get_int(detect::TxInt::kHttpUriLen, 0, len));
  EXPECT_EQ(len, 15);
  ASSERT_TRUE(p->tx_at(0).get_int(detect::TxInt::kHttpUriRawLen, 0, len));
  EXPECT_EQ(len, 17);
  EXPECT_FALSE(p->tx_at(0).get_int(detect::TxInt::kHttpStatCode, 1, len));
}

TEST(HttpParser, Pipelining) {
  auto p = parser();
  req(*p,
      "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
      "HEAD /3 HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(p->tx_count(), 3u);
  res(*p,
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nA"
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nBB\r\n0\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpStatCode, 1), "200");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "A");
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpStatCode, 1), "404");
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpStatMsg, 1), "Not Found");
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpResponseBody, 1), "BB");
  EXPECT_EQ(buf(*p, 2, BufferId::kHttpUri), "/3");
  EXPECT_EQ(buf(*p, 2, BufferId::kHttpResponseBody, 1), "<absent>");  // HEAD: no body
  auto l = logs(*p);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[2].tx_id, 2u);
  p->prune();
  EXPECT_EQ(p->tx_count(), 0u);
}

TEST(HttpParser, NoBodyStatuses) {
  for (const char* status : {"204 No Content", "304 Not Modified"}) {
    auto p = parser();
    req(*p, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /n HTTP/1.1\r\nHost: a\r\n\r\n");
    res(*p, std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 5\r\n\r\n" +
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    EXPECT_TRUE(p->tx_at(0).complete[1]) << status;
    EXPECT_EQ(buf(*p, 1, BufferId::kHttpResponseBody, 1), "ok") << status;
  }
}

TEST(HttpParser, ResponseUntilClose) {
  auto p = parser();
  req(*p, "GET / HTTP/1.0\r\n\r\n");
  res(*p, "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nsome ");
  res(*p, "data");
  EXPECT_FALSE(p->tx_at(0).complete[1]);
  EXPECT_TRUE(logs(*p).empty());
  p->eof(Dir::kToClient);
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "some data");
  EXPECT_EQ(logs(*p).size(), 1u);
}

TEST(HttpParser, ChunkedBothWays) {
  auto p = parser();
  req(*p,
      "POST /qwe.asd HTTP/1.1\nHost: 127.0.0.1\nTransfer-Encoding: chunked\n\n"
      "8 \ntototata\n4 \ntiti\n0 ; qwe3=asd3\ntrailer: x\n\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), "tototatatiti");
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  auto ev = event_names(*p);
  EXPECT_TRUE(has_event(ev, "REQUEST_CHUNK_EXTENSION"));
  res(*p,
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n "
      "world\r\n0\r\n\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "hello world");
  EXPECT_TRUE(p->tx_at(0).complete[1]);
}

TEST(HttpParser, InvalidChunkLength) {
  auto p = parser();
  req(*p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  res(*p, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nrest");
  EXPECT_TRUE(has_event(event_names(*p), "INVALID_RESPONSE_CHUNK_LEN"));
  p->eof(Dir::kToClient);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "zz\r\nrest");
}

TEST(HttpParser, GzipResponseAndDeflateRequest) {
  const std::string page = "<html>" + std::string(500, 'x') + "</html>";
  const std::string gz = gzip(page);
  const std::string form = "name=john&password=doe";
  const std::string df = gzip(form, -15);
  auto p = parser();
  req(*p, "POST /hi.php HTTP/1.1\r\nHost: a\r\nContent-Encoding: deflate\r\nContent-Length: " +
              std::to_string(df.size()) + "\r\n\r\n" + df);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), form);
  // Chunked and gzipped, chunks cutting the gzip stream anywhere.
  std::string chunked;
  for (size_t i = 0; i < gz.size(); i += 7) {
    std::string piece = gz.substr(i, 7);
    char hex[16];
    snprintf(hex, sizeof hex, "%zx\r\n", piece.size());
    chunked += hex + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  res(*p,
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), page);
  EXPECT_EQ(buf(*p, 0, BufferId::kFileData, 1), page);
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_TRUE(event_names(*p).empty());
}

TEST(HttpParser, BrokenGzipRaisesEvent) {
  auto p = parser();
  req(*p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  res(*p, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 8\r\n\r\nnot gzip");
  EXPECT_TRUE(has_event(event_names(*p), "GZIP_DECOMPRESSION_FAILED"));
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "not gzip");
}

TEST(HttpParser, BodyLimit) {
  HttpConfig cfg;
  cfg.response_body_limit = 4;
  auto p = parser(cfg);
  req(*p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  res(*p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "0123");
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_NE(logs(*p)[0].body.find("\"length\":10"), std::string::npos);
}

TEST(HttpParser, LongLineEventNoCrash) {
  HttpConfig cfg;
  cfg.max_line_bytes = 64;
  auto p = parser(cfg);
  req(*p, "GET /" + std::string(500, 'a') + " HTTP/1.1\r\nHost: a\r\nX: " + std::string(300, 'b') +
              "\r\n\r\n");
  auto ev = event_names(*p);
  EXPECT_EQ(std::count(ev.begin(), ev.end(), "REQUEST_FIELD_TOO_LONG"), 2);
  ASSERT_EQ(p->tx_count(), 1u);
  EXPECT_LE(buf(*p, 0, BufferId::kHttpRequestLine).size(), 64u);
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  EXPECT_LT(p->memory(), 64u * 1024);
}

TEST(HttpParser, TooManyHeadersAndHeaderBlockLimit) {
  HttpConfig cfg;
  cfg.max_headers = 3;
  cfg.max_header_bytes = 40;
  auto p = parser(cfg);
  std::string r = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 10; ++i) r += "H" + std::to_string(i) + ": v\r\n";
  req(*p, r + "\r\n");
  auto ev = event_names(*p);
  EXPECT_TRUE(has_event(ev, "REQUEST_TOO_MANY_HEADERS"));
  EXPECT_TRUE(has_event(ev, "REQUEST_FIELD_TOO_LONG"));
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHeader), "H0: v\r\nH1: v\r\nH2: v\r\n");
  EXPECT_LE(buf(*p, 0, BufferId::kHttpHeaderRaw).size(), 40u);
}

TEST(HttpParser, HeaderAnomalies) {
  auto p = parser();
  req(*p,
      "GET / HTTP/1.1\r\n"
      "Host: a\r\n"
      "X-Fold: one\r\n"
      "  two\r\n"
      "NoColon\r\n"
      "Bad Name: v\r\n"
      "Content-Length: 0\r\n"
      "Content-Length: 5\r\n"
      "Accept: a\r\n"
      "Accept: b\r\n"
      "\r\n");
  auto ev = event_names(*p);
  EXPECT_TRUE(has_event(ev, "REQUEST_FIELD_MISSING_COLON"));
  EXPECT_TRUE(has_event(ev, "REQUEST_HEADER_INVALID"));
  EXPECT_TRUE(has_event(ev, "DUPLICATE_CONTENT_LENGTH_FIELD_IN_REQUEST"));
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpAccept), "a, b");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHeader),
            "Host: a\r\nX-Fold: one two\r\nNoColon: \r\nBad Name: v\r\nContent-Length: 0\r\n"
            "Accept: a, b\r\n");
  EXPECT_TRUE(p->tx_at(0).complete[0]);  // the first Content-Length (0) counts
}

TEST(HttpParser, InvalidFramingEvents) {
  auto p = parser();
  req(*p, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n");
  req(*p, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n");
  req(*p, "GET / HTTP/1.1\r\n\r\n");
  auto ev = event_names(*p);
  EXPECT_TRUE(has_event(ev, "INVALID_CONTENT_LENGTH_FIELD_IN_REQUEST"));
  EXPECT_TRUE(has_event(ev, "INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST"));
  EXPECT_TRUE(has_event(ev, "MISSING_HOST_HEADER"));
  EXPECT_EQ(p->tx_count(), 3u);
}

TEST(HttpParser, UnexpectedRequestBody) {
  auto p = parser();
  req(*p, "POST /index.html HTTP/1.1\r\nHost: h\r\n\r\nlogin=foo&password=bar3\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), "login=foo&password=bar3\r\n");
  EXPECT_TRUE(has_event(event_names(*p), "REQUEST_BODY_UNEXPECTED"));
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  // A following request is a request, not body.
  req(*p, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(p->tx_count(), 2u);
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpUri), "/next");
}

TEST(HttpParser, TrailingCrlfAfterBodyIsNotAnEvent) {
  auto p = parser();
  req(*p, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc\r\nGET /2 HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(event_names(*p).size() == 1u);  // MISSING_HOST_HEADER of the second
  EXPECT_EQ(p->tx_count(), 2u);
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpUri), "/2");
}

TEST(HttpParser, Continue100) {
  auto p = parser();
  req(*p, "POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  res(*p, "HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_FALSE(p->tx_at(0).complete[1]);
  req(*p, "abc");
  res(*p, "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpStatCode, 1), "201");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpRequestBody), "abc");
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_EQ(p->tx_count(), 1u);
}

TEST(HttpParser, ConnectTunnel) {
  auto p = parser();
  req(*p, "CONNECT abc:443 HTTP/1.1\r\nUser-Agent: V\r\n\r\n\x16\x03\x01 tls hello");
  res(*p, "HTTP/1.1 200 OK\r\nServer: V\r\n\r\n\x16\x03\x03 server hello");
  req(*p, "GET / HTTP/1.1\r\n\r\n");  // inside the tunnel: not parsed
  ASSERT_EQ(p->tx_count(), 1u);
  EXPECT_TRUE(tunnel_established(*p));
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUri), "abc:443");
  auto l = logs(*p);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].body.find("\"url\":\"abc:443\""), std::string::npos);
  EXPECT_NE(l[0].body.find("\"hostname\":\"abc\""), std::string::npos);
  EXPECT_NE(l[0].body.find("\"http_port\":443"), std::string::npos);
}

TEST(HttpParser, ConnectAsFirstRequestAsksForAProtocolChange) {
  auto p = parser();
  req(*p, "CONNECT abc:443 HTTP/1.1\r\n\r\n\x16\x03\x01 early");
  EXPECT_FALSE(protocol_change_requested(*p));
  res(*p, "HTTP/1.1 200 OK\r\n\r\n\x16\x03\x03 server");
  EXPECT_TRUE(protocol_change_requested(*p));
  req(*p, " more");
  EXPECT_EQ(take_tunnel_bytes(*p, Dir::kToServer), "\x16\x03\x01 early more");
  EXPECT_EQ(take_tunnel_bytes(*p, Dir::kToClient), "\x16\x03\x03 server");
  EXPECT_EQ(take_tunnel_bytes(*p, Dir::kToServer), "");  // handed over once
  // Not after another request, nor for a 101 upgrade.
  auto q = parser();
  req(*q, "GET / HTTP/1.1\r\nHost: a\r\n\r\nCONNECT abc:443 HTTP/1.1\r\n\r\n");
  res(*q, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
  EXPECT_TRUE(tunnel_established(*q));
  EXPECT_FALSE(protocol_change_requested(*q));
  auto u = parser();
  req(*u, "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n");
  res(*u, "HTTP/1.1 101 Switching Protocols\r\n\r\n");
  EXPECT_TRUE(tunnel_established(*u));
  EXPECT_FALSE(protocol_change_requested(*u));
}

TEST(HttpParser, ConnectRefusedGoesOn) {
  auto p = parser();
  req(*p, "CONNECT abc:443 HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(p->tx_count(), 1u);
  res(*p, "HTTP/1.1 407 Proxy Auth\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(tunnel_established(*p));
  ASSERT_EQ(p->tx_count(), 2u);
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpUri), "/x");
}

TEST(HttpParser, SwitchingProtocols) {
  auto p = parser();
  req(*p, "GET /robots.txt HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n\r\n");
  res(*p, "HTTP/1.1 101 Switching Protocols\r\n\r\n\x00\x00\x12\x04");
  req(*p, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  EXPECT_EQ(p->tx_count(), 1u);
  auto l = logs(*p);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].body.find("\"status\":101"), std::string::npos);
}

TEST(HttpParser, Http09) {
  auto p = parser();
  req(*p, "GET /\r\n");
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpProtocol), "<absent>");
  res(*p, "<html>hi</html>");
  p->eof(Dir::kToClient);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "<html>hi</html>");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseLine, 1), "<absent>");
  EXPECT_TRUE(has_event(event_names(*p), "REQUEST_LINE_MISSING_PROTOCOL"));
  EXPECT_EQ(logs(*p).size(), 1u);
}

TEST(HttpParser, MissingProtocolWithHeaders) {
  auto p = parser();
  req(*p, "GET /\nFakeHeader\nHost: localhost\nUser-Agent: myscript\n\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUserAgent), "myscript");
  auto ev = event_names(*p);
  EXPECT_TRUE(has_event(ev, "REQUEST_LINE_MISSING_PROTOCOL"));
  EXPECT_TRUE(has_event(ev, "REQUEST_FIELD_MISSING_COLON"));
}

TEST(HttpParser, HeadersEndAtEof) {
  auto p = parser();
  req(*p, "GET / HTTP/1.1\r\nHost: 100.64.0.200\r\n\r\n");
  res(*p, "HTTP/1.0 200 OK\nServer:ng1nx\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHeader, 1), "<absent>");
  p->eof(Dir::kToClient);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpHeader, 1), "Server: ng1nx\r\n");
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpServer, 1), "ng1nx");
  EXPECT_TRUE(p->tx_at(0).complete[1]);
}

TEST(HttpParser, ResponseWithoutRequest) {
  auto p = parser();
  res(*p, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(has_event(event_names(*p), "UNABLE_TO_MATCH_RESPONSE_TO_REQUEST"));
  ASSERT_EQ(p->tx_count(), 1u);
  // The response has its transaction to itself (libhtp-rs): a request
  // arriving late starts the next one, whose response then matches it.
  req(*p, "GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(p->tx_count(), 2u);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpUri), "<absent>");
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpUri), "/late");
  auto l = logs(*p);
  ASSERT_EQ(l.size(), 1u);
  EXPECT_NE(l[0].body.find("\"url\":\"/libhtp::request_uri_not_seen\""), std::string::npos);
  res(*p, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(event_names(*p).empty());
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpStatCode, 1), "404");
}

TEST(HttpParser, GapInBodyKeepsGoing) {
  auto p = parser();
  req(*p, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  res(*p, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  p->gap(Dir::kToClient, 4);
  res(*p, "xyz");
  EXPECT_TRUE(p->tx_at(0).complete[1]);
  EXPECT_EQ(buf(*p, 0, BufferId::kHttpResponseBody, 1), "abcxyz");
}

TEST(HttpParser, GapResyncsOnNextRequest) {
  auto p = parser();
  req(*p, "GET /first HTTP/1.1\r\nHost: a\r\nX-Long: aaa");
  p->gap(Dir::kToServer, 1000);
  EXPECT_TRUE(p->tx_at(0).complete[0]);
  req(*p, "garbage line\r\nmore junk\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(p->tx_count(), 2u);
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpUri), "/second");
  res(*p, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  p->gap(Dir::kToClient, 50);
  res(*p, "tail of something\r\nHTTP/1.1 404 Nope\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(buf(*p, 1, BufferId::kHttpStatCode, 1), "404");
}

TEST(HttpParser, FlowEndLogsUnfinished) {
  auto p = parser();
  req(*p, "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");
  res(*p, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab");
  EXPECT_TRUE(logs(*p).empty());
  auto l = logs(*p, true);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_TRUE(logs(*p, true).empty());  // each once
}

TEST(HttpParser, MaxPendingTxs) {
  HttpConfig cfg;
  cfg.max_pending_txs = 4;
  auto p = parser(cfg);
  for (int i = 0; i < 50; ++i)
    req(*p, "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\n\r\n");
  logs(*p);
  p->prune();
  EXPECT_LE(p->tx_count(), 5u);
}

TEST(HttpParser, MemoryReflectsBodies) {
  auto p = parser();
  const size_t empty = p->memory();
  req(*p, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 50000\r\n\r\n" + std::string(50000, 'z'));
  EXPECT_GT(p->memory(), empty + 50000);
}

TEST(HttpParser, AlertMetadataIsTheHttpRecordSoFar) {
  auto p = parser();
  req(*p, kReq);
  // Request only: what an alert on the request carries.
  nlohmann::json m = nlohmann::json::parse(p->alert_metadata(p->tx_at(0)));
  EXPECT_EQ(m["hostname"], "www.example.com");
  EXPECT_EQ(m["http_port"], 8080);
  EXPECT_EQ(m["url"], "/../a/b/../c/./d.html?x=1");
  EXPECT_EQ(m["http_user_agent"], "Mozilla/5.0");
  EXPECT_EQ(m["http_method"], "GET");
  EXPECT_EQ(m["protocol"], "HTTP/1.1");
  EXPECT_EQ(m["length"], 0);
  EXPECT_FALSE(m.contains("status"));
  // Part of the response body: status, content type and the length so far.
  res(*p, kRes.substr(0, kRes.size() - 4));
  m = nlohmann::json::parse(p->alert_metadata(p->tx_at(0)));
  EXPECT_EQ(m["status"], 200);
  EXPECT_EQ(m["http_content_type"], "text/html");
  EXPECT_EQ(m["length"], 8);
  // A transaction of another parser has no http object.
  struct OtherTx : AppTx {
    detect::BufferView get(detect::BufferId, int, uint32_t) const override { return {}; }
  } other;
  EXPECT_EQ(p->alert_metadata(other), "");
}

}  // namespace
}  // namespace nsm4::app::http
