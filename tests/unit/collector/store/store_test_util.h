#pragma once
// Shared by the store's tests: a temporary directory, events, and a raw SQLite
// connection for playing the part of someone editing the file behind the
// collector's back.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "store/event_store.h"

namespace nsm4::collector::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nsm4-store-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline StoredEvent make_event(const std::string& type, int64_t ts_us, int n = 0) {
  StoredEvent e;
  e.event_type = type;
  e.ts_us = ts_us;
  e.json = R"({"timestamp":")" + std::to_string(ts_us) + R"(","event_type":")" + type +
           R"(","n":)" + std::to_string(n) + "}";
  return e;
}

inline StoredEvent make_alert(int64_t ts_us, int severity, int64_t sid, const std::string& src,
                              const std::string& dest, const std::string& signature,
                              const std::string& category = "Misc activity") {
  StoredEvent e = make_event("alert", ts_us, static_cast<int>(sid));
  e.severity = severity;
  e.sid = sid;
  e.signature = signature;
  e.category = category;
  e.src_ip = src;
  e.dest_ip = dest;
  e.community_id = "1:abc";
  return e;
}

inline BatchKey key(const std::string& agent, const std::string& site,
                    const std::string& stream = "", uint64_t seq = 0) {
  BatchKey k;
  k.agent = agent;
  k.site = site;
  k.stream = stream;
  k.seq = seq;
  return k;
}

// A plain connection to the store's file.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err != nullptr ? err : "?";
      sqlite3_free(err);
      throw std::runtime_error(sql + ": " + msg);
    }
  }
  int64_t scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    int64_t v = 0;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace nsm4::collector::test
