#pragma once
// What happens to a connection between accept and its HTTP session: the
// first bytes decide TLS or plain (Beast's detect_ssl), and `plain` decides
// whether plain HTTP is served to this peer. Over max_connections a
// connection gets a 503 and is closed instead.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>

#include "server/server_shared.h"

namespace nsm4::collector::server_detail {

class ConnectionGate : public SessionBase {
 public:
  ConnectionGate(std::shared_ptr<ServerShared> shared, ConnectionSlot slot,
                 boost::asio::ip::tcp::socket socket);
  ~ConnectionGate() override;
  void run();
  // Gives the client linger_timeout to show its first bytes, then closes.
  void on_server_stop() override;
  void release_hold() override {}

 private:
  std::shared_ptr<ConnectionGate> self_ptr();
  void on_detect(boost::beast::error_code ec, bool tls);
  void close();

  std::shared_ptr<ServerShared> shared_;
  ConnectionSlot slot_;
  boost::beast::tcp_stream stream_;
  boost::beast::tcp_stream::executor_type executor_;  // still valid once stream_ is moved
  boost::beast::flat_buffer buffer_;
  std::optional<boost::asio::steady_timer> stop_grace_;
  uint64_t id_ = 0;
  bool handed_on_ = false;
};

// "503, Connection: close", then discard input until the peer closes or
// `linger` passes, so that the peer reads the reply rather than a reset.
class OverloadReply : public std::enable_shared_from_this<OverloadReply> {
 public:
  OverloadReply(boost::asio::ip::tcp::socket socket, std::chrono::milliseconds linger);
  void run();

 private:
  void discard();

  boost::beast::tcp_stream stream_;
  std::chrono::milliseconds linger_;
  std::array<char, 4096> scratch_{};
};

// "127.0.0.1:53012" / "[::1]:53012"; IPv4-mapped IPv6 peers shown as IPv4.
std::string peer_text(const boost::asio::ip::tcp::endpoint& ep);
// 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104.
bool is_loopback_peer(const boost::asio::ip::address& addr);

}  // namespace nsm4::collector::server_detail
