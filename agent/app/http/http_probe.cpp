#include "app/http/http_probe.h"

#include <algorithm>
#include <array>

namespace nsm4::app::http {
namespace {

// The methods libhtp recognises (HTP_M_*), plus PATCH.
constexpr std::array<std::string_view, 27> kMethods = {
    "GET",        "POST",    "HEAD",   "PUT",      "DELETE",          "OPTIONS",
    "CONNECT",    "TRACE",   "PATCH",  "PROPFIND", "PROPPATCH",       "MKCOL",
    "COPY",       "MOVE",    "LOCK",   "UNLOCK",   "VERSION-CONTROL", "CHECKOUT",
    "UNCHECKOUT", "CHECKIN", "UPDATE", "LABEL",    "REPORT",          "MKWORKSPACE",
    "MKACTIVITY", "MERGE",   "SEARCH"};

constexpr std::string_view kHttpPrefix = "HTTP/";

}  // namespace

bool is_known_method(std::string_view token) {
  return std::find(kMethods.begin(), kMethods.end(), token) != kMethods.end();
}

Probe probe(Dir dir, std::span<const uint8_t> data) {
  std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  if (dir == Dir::kToClient) {
    size_t n = std::min(s.size(), kHttpPrefix.size());
    if (s.substr(0, n) != kHttpPrefix.substr(0, n)) return Probe::kNoMatch;
    return n == kHttpPrefix.size() ? Probe::kMatch : Probe::kNeedMore;
  }
  bool prefix = false;
  for (std::string_view m : kMethods) {
    if (s.size() > m.size()) {
      if (s.substr(0, m.size()) == m && s[m.size()] == ' ') return Probe::kMatch;
    } else if (m.substr(0, s.size()) == s) {
      prefix = true;  // "GE", or "GET" without its space yet
    }
  }
  return prefix ? Probe::kNeedMore : Probe::kNoMatch;
}

}  // namespace nsm4::app::http
