#pragma once
// Read-only connections for queries, verify and stats, so that readers never
// wait for the writer's connection (WAL: readers see the last commit). Each
// connection keeps its prepared statements by SQL text.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite_db.h"

namespace nsm4::collector {

struct ReaderConnection {
  sql::Db db;
  std::map<std::string, sql::Stmt, std::less<>> statements;
  // The statement for `text`, prepared on first use.
  sql::Stmt& prepare(const std::string& text);
};

class ReaderPool {
 public:
  ReaderPool(std::string path, sql::DbOptions opt, size_t max_idle = 4);

  class Lease {
   public:
    Lease(ReaderPool& pool, std::unique_ptr<ReaderConnection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ReaderConnection* operator->() const { return conn_.get(); }
    ReaderConnection& operator*() const { return *conn_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<ReaderConnection> conn_;
  };

  // An idle connection, or a new one when none is idle.
  Lease acquire();

 private:
  void release(std::unique_ptr<ReaderConnection> conn);

  const std::string path_;
  const sql::DbOptions opt_;
  const size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<ReaderConnection>> idle_;
};

}  // namespace nsm4::collector
