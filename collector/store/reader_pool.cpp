#include "store/reader_pool.h"

#include <utility>

namespace nsm4::collector {

sql::Stmt& ReaderConnection::prepare(const std::string& text) {
  auto it = statements.find(text);
  if (it == statements.end()) it = statements.emplace(text, sql::Stmt(db, text)).first;
  return it->second;
}

ReaderPool::ReaderPool(std::string path, sql::DbOptions opt, size_t max_idle)
    : path_(std::move(path)), opt_(opt), max_idle_(max_idle) {}

ReaderPool::Lease::~Lease() {
  if (conn_ != nullptr) pool_->release(std::move(conn_));
}

ReaderPool::Lease ReaderPool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
  }
  auto conn = std::make_unique<ReaderConnection>();
  conn->db = sql::Db::open(path_, opt_);
  return Lease(*this, std::move(conn));
}

void ReaderPool::release(std::unique_ptr<ReaderConnection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(conn));
}

}  // namespace nsm4::collector
