#include "server/connection_gate.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>

#include <string_view>

#include "server/session.h"

namespace nsm4::collector::server_detail {

using tcp = net::ip::tcp;

namespace {

net::ip::address unmapped(const net::ip::address& addr) {
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    return net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
  return addr;
}

constexpr std::string_view kOverloadReply =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Server: nsm4-collector\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 43\r\n"
    "Retry-After: 1\r\n"
    "Connection: close\r\n"
    "\r\n"
    "{\"error\":\"too many connections, try later\"}";

}  // namespace

std::string peer_text(const tcp::endpoint& ep) {
  const auto addr = unmapped(ep.address());
  const std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

bool is_loopback_peer(const net::ip::address& addr) {
  return unmapped(addr).is_loopback();
}

ConnectionGate::ConnectionGate(std::shared_ptr<ServerShared> shared, ConnectionSlot slot,
                               tcp::socket socket)
    : shared_(std::move(shared)),
      slot_(std::move(slot)),
      stream_(std::move(socket)),
      executor_(stream_.get_executor()) {}

ConnectionGate::~ConnectionGate() {
  if (id_) shared_->remove_session(id_);
}

std::shared_ptr<ConnectionGate> ConnectionGate::self_ptr() {
  return std::static_pointer_cast<ConnectionGate>(shared_from_this());
}

void ConnectionGate::run() {
  id_ = shared_->add_session(weak_from_this());
  // Runs on the acceptor's strand: start on the connection's own.
  net::dispatch(executor_, [self = self_ptr()] {
    self->stream_.expires_after(self->shared_->opt.header_timeout);
    beast::async_detect_ssl(self->stream_, self->buffer_,
                            [self](beast::error_code ec, bool tls) { self->on_detect(ec, tls); });
  });
}

void ConnectionGate::on_server_stop() {
  net::post(executor_, [self = self_ptr()] {
    if (self->handed_on_ || self->stop_grace_) return;
    self->stop_grace_.emplace(self->executor_);
    self->stop_grace_->expires_after(self->shared_->opt.linger_timeout);
    self->stop_grace_->async_wait([weak = self->weak_from_this()](beast::error_code ec) {
      if (auto base = weak.lock(); base && !ec)
        std::static_pointer_cast<ConnectionGate>(base)->close();
    });
  });
}

void ConnectionGate::close() {
  if (handed_on_) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void ConnectionGate::on_detect(beast::error_code ec, bool tls) {
  if (ec) {
    if (ec == beast::error::timeout) {
      shared_->counters.reject(RejectReason::kTimeout);
    } else if (buffer_.size() > 0 &&
               static_cast<const uint8_t*>(buffer_.data().data())[0] == 0x16) {
      // The peer went away in the middle of a TLS record that starts a handshake.
      shared_->counters.reject(RejectReason::kTlsHandshake);
    }
    return close();
  }
  beast::error_code ep_ec;
  const auto remote = stream_.socket().remote_endpoint(ep_ec);
  if (ep_ec) return close();  // already reset by the peer
  PeerInfo peer{peer_text(remote), false};
  if (tls && !shared_->tls) {
    shared_->counters.reject(RejectReason::kTlsHandshake);  // TLS is not configured
    return close();
  }
  handed_on_ = true;
  if (tls) {
    std::make_shared<Session<TlsStream>>(shared_, std::move(slot_), std::move(stream_),
                                         std::move(buffer_), std::move(peer))
        ->start();
    return;
  }
  const PlainMode mode = shared_->opt.plain;
  peer.refuse_plain = mode == PlainMode::kOff ||
                      (mode == PlainMode::kLoopback && !is_loopback_peer(remote.address()));
  std::make_shared<Session<PlainStream>>(shared_, std::move(slot_), std::move(stream_),
                                         std::move(buffer_), std::move(peer))
      ->start();
}

OverloadReply::OverloadReply(tcp::socket socket, std::chrono::milliseconds linger)
    : stream_(std::move(socket)), linger_(linger) {}

void OverloadReply::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->stream_.expires_after(self->linger_);
    net::async_write(self->stream_, net::buffer(kOverloadReply.data(), kOverloadReply.size()),
                     [self](beast::error_code ec, size_t) {
                       if (ec) return;
                       beast::error_code ignored;
                       self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                       self->discard();
                     });
  });
}

void OverloadReply::discard() {
  stream_.async_read_some(net::buffer(scratch_),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (!ec) self->discard();
                          });
}

}  // namespace nsm4::collector::server_detail
