#pragma once
// State shared by the listener, the connections and the reply callbacks that
// handlers keep. Callbacks may run on any thread, even after ~Server: all
// work they post to the io_context goes through with_live_io(), which does
// nothing once the server is gone.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "server/server.h"

namespace nsm4::collector::server_detail {

// A connection that stop() must reach.
class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // Any thread: close when idle, else close after the reply in progress.
  virtual void on_server_stop() = 0;
  // ~Server, after the io_context stopped: drop the reference that keeps a
  // session alive while its handler has not answered.
  virtual void release_hold() = 0;
};

class ServerShared {
 public:
  ServerShared(ServerOptions options, HttpHandler& handler, ServerCounters& counters,
               boost::asio::io_context& ioc);

  const ServerOptions opt;
  HttpHandler& handler;
  ServerCounters& counters;
  std::unique_ptr<boost::asio::ssl::context> tls;  // null when TLS is off
  std::atomic<bool> stopping{false};
  // Posted (on the io_context) when stopping and the last connection closed.
  std::function<void()> on_drained;

  // Runs fn (which may post to the io_context) unless the server is gone.
  void with_live_io(const std::function<void()>& fn);
  void mark_gone();

  void connection_opened();
  void connection_closed();
  uint64_t open_connections() const { return open_.load(); }

  uint64_t add_session(std::weak_ptr<SessionBase> s);
  void remove_session(uint64_t id);
  std::vector<std::shared_ptr<SessionBase>> sessions();

 private:
  boost::asio::io_context& ioc_;
  std::recursive_mutex life_mu_;  // a session may close inside with_live_io
  bool alive_ = true;
  std::atomic<uint64_t> open_{0};
  std::mutex sessions_mu_;
  uint64_t next_session_ = 1;
  std::unordered_map<uint64_t, std::weak_ptr<SessionBase>> sessions_;
};

// One accepted connection, counted open from accept until destroyed.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<ServerShared> shared);
  ~ConnectionSlot();
  ConnectionSlot(ConnectionSlot&& other) noexcept = default;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;

 private:
  std::shared_ptr<ServerShared> shared_;
};

}  // namespace nsm4::collector::server_detail
