// The read side of SqliteEventStore: alerts, one event, the latest event of a
// type, and the counts. All on reader connections.
#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <variant>

#include "store/sqlite_event_store.h"

namespace nsm4::collector {

namespace {

constexpr int kMaxAlertLimit = 1000;
constexpr const char* kRowColumns = "id, agent, site, ts_us, json";

EventRow read_row(const sql::Stmt& s) {
  EventRow r;
  r.id = s.column_int(0);
  r.agent = std::string(s.column_text(1));
  r.site = std::string(s.column_text(2));
  r.ts_us = s.column_int(3);
  r.json = std::string(s.column_text(4));
  return r;
}

// The stored text form of an address (inet_ntop), so that "2001:DB8::1" finds
// "2001:db8::1"; anything else is searched as given.
std::string normalise_address(const std::string& text) {
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1 &&
      inet_ntop(AF_INET, buf, out, sizeof out) != nullptr) {
    return out;
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1 &&
      inet_ntop(AF_INET6, buf, out, sizeof out) != nullptr) {
    return out;
  }
  return text;
}

// A LIKE pattern matching `text` anywhere, with %, _ and \ taken literally.
std::string like_substring(const std::string& text) {
  std::string p = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') p.push_back('\\');
    p.push_back(c);
  }
  p.push_back('%');
  return p;
}

uint64_t file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

std::vector<EventRow> SqliteEventStore::alerts(const AlertQuery& q) {
  // The literal 'alert' (not a parameter) lets SQLite use the partial indexes.
  std::string text =
      std::string("SELECT ") + kRowColumns + " FROM events WHERE event_type = 'alert'";
  // Values are bound by position, in the order the conditions are added.
  std::vector<std::variant<int64_t, std::string>> values;
  auto add = [&](const char* cond, std::variant<int64_t, std::string> v) {
    text += cond;
    values.push_back(std::move(v));
  };
  if (q.site) add(" AND site = ?", *q.site);
  if (q.agent) add(" AND agent = ?", *q.agent);
  if (q.from_us) add(" AND ts_us >= ?", *q.from_us);
  if (q.to_us) add(" AND ts_us < ?", *q.to_us);
  if (q.max_severity) add(" AND severity BETWEEN 1 AND ?", int64_t{*q.max_severity});
  if (q.sid) add(" AND sid = ?", *q.sid);
  if (q.address) {
    std::string a = normalise_address(*q.address);
    add(" AND (src_ip = ?", a);
    add(" OR dest_ip = ?)", std::move(a));
  }
  if (q.text) {
    const std::string pattern = like_substring(*q.text);
    add(" AND (signature LIKE ? ESCAPE '\\'", pattern);
    add(" OR category LIKE ? ESCAPE '\\')", pattern);
  }
  if (q.before_id) add(" AND id < ?", *q.before_id);
  text += " ORDER BY id DESC LIMIT ?";
  values.emplace_back(int64_t{std::clamp(q.limit, 1, kMaxAlertLimit)});

  auto conn = readers_.acquire();
  sql::Stmt& s = conn->prepare(text);
  sql::ResetOnExit reset(s);
  int n = 1;
  for (const auto& v : values) {
    if (const auto* i = std::get_if<int64_t>(&v)) {
      s.bind(n++, *i);
    } else {
      s.bind(n++, std::string_view(std::get<std::string>(v)));
    }
  }
  std::vector<EventRow> rows;
  while (s.step()) rows.push_back(read_row(s));
  return rows;
}

std::optional<EventRow> SqliteEventStore::event(int64_t id) {
  auto conn = readers_.acquire();
  sql::Stmt& s = conn->prepare(std::string("SELECT ") + kRowColumns + " FROM events WHERE id = ?1");
  sql::ResetOnExit reset(s);
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

std::optional<EventRow> SqliteEventStore::latest(const std::string& agent,
                                                 const std::string& event_type) {
  auto conn = readers_.acquire();
  sql::Stmt& s = conn->prepare(
      "SELECT e.id, e.agent, e.site, e.ts_us, e.json FROM latest l JOIN events e "
      "ON e.id = l.last_id WHERE l.agent = ?1 AND l.event_type = ?2");
  sql::ResetOnExit reset(s);
  s.bind(1, agent).bind(2, event_type);
  if (!s.step()) return std::nullopt;
  return read_row(s);
}

StoreStats SqliteEventStore::stats() {
  StoreStats st;
  {
    auto conn = readers_.acquire();
    sql::Stmt& s = conn->prepare("SELECT events, batches FROM meta WHERE id = 1");
    sql::ResetOnExit reset(s);
    if (s.step()) {
      st.events = static_cast<uint64_t>(std::max<int64_t>(0, s.column_int(0)));
      st.batches = static_cast<uint64_t>(std::max<int64_t>(0, s.column_int(1)));
    }
  }
  st.file_bytes = file_size(opt_.path) + file_size(opt_.path + "-wal");
  return st;
}

}  // namespace nsm4::collector
