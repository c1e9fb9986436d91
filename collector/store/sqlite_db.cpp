#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace nsm4::collector::sql {

Db Db::open(const std::string& path, const DbOptions& opt) {
  Db db;
  db.path_ = path;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr) != SQLITE_OK) {
    if (db.db_ == nullptr) throw StoreError(path + ": cannot open: out of memory");
    db.fail("cannot open");
  }
  sqlite3_extended_result_codes(db.db_, 1);
  sqlite3_busy_timeout(db.db_, opt.busy_timeout_ms);
  if (!opt.read_only) {
    // Only take effect before the first table exists, hence first.
    db.exec(("PRAGMA page_size=" + std::to_string(opt.page_size)).c_str());
    db.exec("PRAGMA auto_vacuum=INCREMENTAL");
    Stmt mode(db, "PRAGMA journal_mode=WAL");
    if (!mode.step() || mode.column_text(0) != "wal") {
      throw StoreError(path + ": cannot switch to WAL mode");
    }
  }
  db.exec(opt.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  db.exec(("PRAGMA cache_size=-" + std::to_string(opt.cache_kib)).c_str());
  db.exec("PRAGMA temp_store=MEMORY");
  if (opt.read_only) db.exec("PRAGMA query_only=1");
  return db;
}

Db::~Db() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Db::Db(Db&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw StoreError(path_ + ": " + sql + ": " + msg);
  }
}

void Db::fail(std::string_view what) const {
  std::string msg = path_;
  msg += ": ";
  msg += what;
  msg += ": ";
  msg += db_ != nullptr ? sqlite3_errmsg(db_) : "no connection";
  throw StoreError(msg);
}

int64_t Db::pragma_int(const char* pragma) {
  Stmt s(*this, std::string("PRAGMA ") + pragma);
  if (!s.step()) fail(pragma);
  return s.column_int(0);
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK) {
    db.fail("cannot prepare \"" + std::string(sql) + "\"");
  }
}

Stmt::~Stmt() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Stmt::Stmt(Stmt&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), stmt_(std::exchange(other.stmt_, nullptr)) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Stmt& Stmt::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_->fail("bind");
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
  // A non-null pointer even for "", so that the value is '' and never NULL.
  const char* data = text.data() != nullptr ? text.data() : "";
  if (sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8) !=
      SQLITE_OK) {
    db_->fail("bind");
  }
  return *this;
}

Stmt& Stmt::bind_blob(int index, const void* data, size_t size) {
  static const char kEmpty = 0;
  if (sqlite3_bind_blob64(stmt_, index, data != nullptr ? data : &kEmpty, size, SQLITE_STATIC) !=
      SQLITE_OK) {
    db_->fail("bind");
  }
  return *this;
}

bool Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string what = "step \"";
  what += sqlite3_sql(stmt_);
  what += "\"";
  sqlite3_reset(stmt_);
  db_->fail(what);
}

void Stmt::run() {
  ResetOnExit reset(*this);
  step();
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Stmt::column_int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

std::string_view Stmt::column_text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

std::string_view Stmt::column_blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

bool Stmt::column_is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Transaction::Transaction(Db& db, bool immediate) : db_(db) {
  db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = true;
}

Transaction::~Transaction() {
  if (open_ && sqlite3_get_autocommit(db_.get()) == 0) {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace nsm4::collector::sql
