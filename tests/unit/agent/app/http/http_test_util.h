#pragma once
// Helpers for the HTTP parser tests: feed strings, read buffers back.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/http/http_parser.h"

namespace nsm4::app::http::testing {

inline void feed(AppParser& p, Dir dir, std::string_view s) {
  p.parse(dir, {reinterpret_cast<const uint8_t*>(s.data()), s.size()}, Timestamp{});
}
inline void req(AppParser& p, std::string_view s) {
  feed(p, Dir::kToServer, s);
}
inline void res(AppParser& p, std::string_view s) {
  feed(p, Dir::kToClient, s);
}

// Feeds `s` split into pieces of `step` bytes (or at `cut` when cut > 0).
inline void feed_split(AppParser& p, Dir dir, std::string_view s, size_t cut) {
  feed(p, dir, s.substr(0, cut));
  feed(p, dir, s.substr(cut));
}

// The buffer as a string; "<absent>" when the transaction has none.
inline std::string buf(AppParser& p, size_t tx, detect::BufferId id, int dir = 0) {
  if (tx >= p.tx_count()) return "<no tx>";
  detect::BufferView v = p.tx_at(tx).get(id, dir, 0);
  if (!v.present) return "<absent>";
  return std::string(reinterpret_cast<const char*>(v.data), v.len);
}

inline std::vector<std::string> event_names(AppParser& p) {
  std::vector<AppEvent> ev;
  p.take_events(ev);
  std::vector<std::string> names;
  for (const AppEvent& e : ev) names.emplace_back(e.name);
  return names;
}

inline bool has_event(const std::vector<std::string>& names, std::string_view name) {
  for (const std::string& n : names)
    if (n == name) return true;
  return false;
}

inline std::vector<AppLog> logs(AppParser& p, bool flow_end = false) {
  std::vector<AppLog> out;
  p.take_logs(out, flow_end);
  return out;
}

}  // namespace nsm4::app::http::testing
