// The application layer over crafted TCP packets: protocol change after an
// HTTP CONNECT (the tunnel's bytes are detected anew).
#include "app/app_layer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace nsm4::app {
namespace {

// One TCP connection, handshake done, fed packet by packet.
class Conn {
 public:
  explicit Conn(AppLayer& al) : al_(al) {
    f_.key.proto = 6;
    f_.key.sport = 40000;
    f_.key.dport = 8080;
    f_.tcp_tracked = true;
    f_.client_isn = 100;
    f_.server_isn = 500;
    f_.toserver.tcp_flags = kTcpSyn | kTcpAck;
    f_.toclient.tcp_flags = kTcpSyn | kTcpAck;
    f_.flow_id = 1;
  }
  // Sends `data` from the client (toserver) or the server, acking the other side.
  void send(bool toserver, std::string_view data) {
    Packet p;
    p.l4 = Layer::kTcp;
    p.tcp_flags = kTcpAck;
    uint32_t& seq = toserver ? cseq_ : sseq_;
    p.tcp_seq = seq;
    p.tcp_ack = toserver ? sseq_ : cseq_;
    p.payload = reinterpret_cast<const uint8_t*>(data.data());
    p.payload_len = static_cast<uint32_t>(data.size());
    seq += p.payload_len;
    bool ts = toserver;
    al_.process(p, f_, ts);
    for (const AppLog& l : al_.logs()) logs_.push_back(std::string(l.type) + ":" + l.body);
  }
  Flow& flow() { return f_; }
  const std::vector<std::string>& logs() const { return logs_; }

 private:
  AppLayer& al_;
  Flow f_;
  uint32_t cseq_ = 101;
  uint32_t sseq_ = 501;
  std::vector<std::string> logs_;
};

bool contains(const std::vector<std::string>& v, std::string_view needle) {
  for (const std::string& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

TEST(AppLayer, ConnectTunnelIsDetectedAnew) {
  AppConfig cfg;
  AppLayer al(cfg);
  Conn c(al);
  c.send(true, "CONNECT abc:443 HTTP/1.1\r\nUser-Agent: V\r\n\r\n");
  EXPECT_EQ(c.flow().app_proto, kProtoHttp);
  c.send(false, "HTTP/1.1 200 OK\r\nServer: S\r\n\r\n");
  c.send(true, "GE");  // a request split over two segments, inside the tunnel
  c.send(true, "T /in HTTP/1.1\r\nHost: in\r\n\r\n");
  c.send(false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(c.flow().app_proto, kProtoHttp);
  EXPECT_EQ(c.flow().app_proto_orig, kProtoHttp);
  ASSERT_EQ(c.logs().size(), 2u);
  EXPECT_TRUE(contains(c.logs(), "\"http_method\":\"CONNECT\""));
  EXPECT_TRUE(contains(c.logs(), "\"url\":\"/in\""));
}

TEST(AppLayer, BytesSentWithTheConnectAnswerAreDetected) {
  AppConfig cfg;
  AppLayer al(cfg);
  Conn c(al);
  // The client does not wait for the answer.
  c.send(true, "CONNECT abc:80 HTTP/1.1\r\n\r\nGET /early HTTP/1.1\r\nHost: in\r\n\r\n");
  c.send(false, "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_TRUE(contains(c.logs(), "\"url\":\"/early\""));
  EXPECT_TRUE(contains(c.logs(), "\"status\":204"));
}

TEST(AppLayer, ConnectThatIsNotTheFirstRequestKeepsTheProtocol) {
  AppConfig cfg;
  AppLayer al(cfg);
  Conn c(al);
  c.send(true, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  c.send(false, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  c.send(true, "CONNECT abc:443 HTTP/1.1\r\n\r\n");
  c.send(false, "HTTP/1.1 200 OK\r\n\r\n");
  c.send(true, "GET /in HTTP/1.1\r\nHost: in\r\n\r\n");
  EXPECT_EQ(c.flow().app_proto_orig, kProtoUnknown);
  EXPECT_FALSE(contains(c.logs(), "\"url\":\"/in\""));
}

}  // namespace
}  // namespace nsm4::app
