#pragma once
// A thin RAII layer over the SQLite3 C API for the store and the registry:
// a connection, reusable prepared statements and a transaction guard. Every
// failure throws StoreError naming the file and SQLite's reason.
#include <cstdint>
#include <string>
#include <string_view>

#include "store/store_error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace nsm4::collector::sql {

struct DbOptions {
  bool synchronous_full = true;  // FULL: the WAL is fsynced at each commit
  int busy_timeout_ms = 5000;
  int64_t cache_kib = 16 * 1024;
  // Used only when the file is created (an existing file keeps its page size):
  // ~1 kB EVE rows pack 16 to a page, so fewer page splits, WAL frames and
  // pointer-map updates per event than with SQLite's default 4096.
  int page_size = 16384;
  bool read_only = false;  // PRAGMA query_only: readers never write by mistake
};

class Db {
 public:
  // Opens (creating when absent) the file in WAL mode with incremental
  // auto-vacuum (set while the file is still empty, so that retention can
  // return space to the file system).
  static Db open(const std::string& path, const DbOptions& opt);

  Db() = default;
  ~Db();
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  void exec(const char* sql);
  // "<path>: <what>: <SQLite's message>"
  [[noreturn]] void fail(std::string_view what) const;
  int64_t pragma_int(const char* pragma);

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement kept for the life of its connection. Text and blob
// bindings are not copied: the bound data must outlive the step() calls.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int index, int64_t value);
  Stmt& bind(int index, std::string_view text);
  Stmt& bind_blob(int index, const void* data, size_t size);
  // true: a row is available; false: done. Throws on error.
  bool step();
  // Steps a statement that returns no rows, then resets it.
  void run();
  void reset();

  int64_t column_int(int col) const;
  std::string_view column_text(int col) const;
  std::string_view column_blob(int col) const;
  bool column_is_null(int col) const;

 private:
  Db* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving a scope, so that it holds no read snapshot.
class ResetOnExit {
 public:
  explicit ResetOnExit(Stmt& s) : s_(s) {}
  ~ResetOnExit() { s_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Stmt& s_;
};

// BEGIN (IMMEDIATE for writers) ... COMMIT; rolls back when destroyed uncommitted.
class Transaction {
 public:
  Transaction(Db& db, bool immediate);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace nsm4::collector::sql
