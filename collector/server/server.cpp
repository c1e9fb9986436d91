#include "server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/connection_gate.h"
#include "server/server_shared.h"
#include "server/tls_context.h"

namespace nsm4::collector {

using namespace server_detail;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto addr = ep.address();
  const std::string host = addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string();
  return host + ":" + std::to_string(ep.port());
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, HttpHandler& handler, ServerCounters& counters)
      : shared(std::make_shared<ServerShared>(std::move(options), handler, counters, ioc)) {}

  ~Impl() {
    shared->mark_gone();
    ioc.stop();
    // Sessions whose handler never answered hold themselves; drop them while
    // the io_context (their sockets' owner) still exists.
    for (auto& s : shared->sessions()) s->release_hold();
  }

  void start() {
    const ServerOptions& opt = shared->opt;
    boost::system::error_code ec;
    const auto address = net::ip::make_address(opt.address, ec);
    if (ec) throw std::runtime_error("listen address '" + opt.address + "' is not an IP address");
    if (!opt.tls_cert.empty() || !opt.tls_key.empty()) shared->tls = make_server_tls_context(opt);
    if (!shared->tls && opt.plain == PlainMode::kOff)
      throw std::runtime_error("no TLS certificate (tls.cert, tls.key) and plain is off");
    const tcp::endpoint endpoint(address, opt.port);
    const std::string where = endpoint_text(endpoint);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    bound_port = acceptor.local_endpoint().port();
    shared->on_drained = [this] { net::post(acceptor_strand, [this] { finish_if_drained(); }); };
    net::post(acceptor_strand, [this] { accept(); });
  }

  void accept() {
    acceptor.async_accept(
        net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
          if (ec) {
            // Out of descriptors or memory: pause instead of spinning on accept.
            accept_retry.expires_after(std::chrono::milliseconds(50));
            accept_retry.async_wait([this](boost::system::error_code) { accept(); });
            return;
          }
          on_accept(std::move(socket));
          accept();
        });
  }

  void on_accept(tcp::socket socket) {
    if (shared->stopping.load()) return;
    if (shared->open_connections() >= shared->opt.max_connections) {
      shared->counters.reject(RejectReason::kTooManyConnections);
      std::make_shared<OverloadReply>(std::move(socket), shared->opt.linger_timeout)->run();
      return;
    }
    std::make_shared<ConnectionGate>(shared, ConnectionSlot(shared), std::move(socket))->run();
  }

  void stop() {
    net::post(acceptor_strand, [this] {
      if (shared->stopping.exchange(true)) return;
      boost::system::error_code ignored;
      acceptor.close(ignored);
      accept_retry.cancel();
      for (auto& s : shared->sessions()) s->on_server_stop();
      drain_deadline.expires_after(shared->opt.drain_timeout);
      drain_deadline.async_wait([this](boost::system::error_code ec) {
        if (!ec) ioc.stop();
      });
      finish_if_drained();
    });
  }

  void finish_if_drained() {
    if (!shared->stopping.load() || shared->open_connections() != 0) return;
    drain_deadline.cancel();
    work.reset();
  }

  void run() {
    const int extra = std::max(0, shared->opt.threads - 1);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(extra));
    for (int i = 0; i < extra; ++i) threads.emplace_back([this] { run_loop(); });
    run_loop();
    for (auto& t : threads) t.join();
  }

  void run_loop() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        std::cerr << "nsm4-collector: server: " << e.what() << "\n";
      }
    }
  }

  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work{ioc.get_executor()};
  std::shared_ptr<ServerShared> shared;
  net::strand<net::io_context::executor_type> acceptor_strand{ioc.get_executor()};
  tcp::acceptor acceptor{acceptor_strand};
  net::steady_timer accept_retry{acceptor_strand};
  net::steady_timer drain_deadline{acceptor_strand};
  uint16_t bound_port = 0;
  bool started = false;
};

Server::Server(ServerOptions options, HttpHandler& handler, ServerCounters& counters)
    : impl_(std::make_unique<Impl>(std::move(options), handler, counters)) {}

Server::~Server() = default;

void Server::start() {
  if (impl_->started) throw std::logic_error("Server::start called twice");
  impl_->start();
  impl_->started = true;
}

uint16_t Server::port() const {
  return impl_->bound_port;
}

std::string Server::url() const {
  boost::system::error_code ec;
  const auto addr = net::ip::make_address(impl_->shared->opt.address, ec);
  const std::string host =
      !ec && addr.is_v6() ? "[" + addr.to_string() + "]" : impl_->shared->opt.address;
  const char* scheme = impl_->shared->tls ? "https://" : "http://";
  return scheme + host + ":" + std::to_string(port());
}

void Server::run() {
  if (!impl_->started) throw std::logic_error("Server::run called before start");
  impl_->run();
}

void Server::stop() {
  impl_->stop();
}

}  // namespace nsm4::collector
