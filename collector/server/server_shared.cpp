#include "server/server_shared.h"

#include <boost/asio/post.hpp>

namespace nsm4::collector::server_detail {

ServerShared::ServerShared(ServerOptions options, HttpHandler& handler_ref,
                           ServerCounters& counters_ref, boost::asio::io_context& ioc)
    : opt(std::move(options)), handler(handler_ref), counters(counters_ref), ioc_(ioc) {}

void ServerShared::with_live_io(const std::function<void()>& fn) {
  std::lock_guard<std::recursive_mutex> lock(life_mu_);
  if (alive_) fn();
}

void ServerShared::mark_gone() {
  std::lock_guard<std::recursive_mutex> lock(life_mu_);
  alive_ = false;
}

void ServerShared::connection_opened() {
  open_.fetch_add(1);
  counters.connections_open.fetch_add(1, std::memory_order_relaxed);
  counters.connections_total.fetch_add(1, std::memory_order_relaxed);
}

void ServerShared::connection_closed() {
  counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
  if (open_.fetch_sub(1) == 1 && stopping.load() && on_drained)
    with_live_io([this] { boost::asio::post(ioc_, on_drained); });
}

uint64_t ServerShared::add_session(std::weak_ptr<SessionBase> s) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  const uint64_t id = next_session_++;
  sessions_.emplace(id, std::move(s));
  return id;
}

void ServerShared::remove_session(uint64_t id) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  sessions_.erase(id);
}

std::vector<std::shared_ptr<SessionBase>> ServerShared::sessions() {
  std::vector<std::shared_ptr<SessionBase>> out;
  std::lock_guard<std::mutex> lock(sessions_mu_);
  out.reserve(sessions_.size());
  for (auto& [id, weak] : sessions_)
    if (auto s = weak.lock()) out.push_back(std::move(s));
  return out;
}

ConnectionSlot::ConnectionSlot(std::shared_ptr<ServerShared> shared) : shared_(std::move(shared)) {
  shared_->connection_opened();
}

ConnectionSlot::~ConnectionSlot() {
  if (shared_) shared_->connection_closed();
}

}  // namespace nsm4::collector::server_detail
