#include "api/query_params.h"

#include "api/api_common.h"
#include "nsm4/common/hex.h"

namespace nsm4::collector {

namespace {

bool percent_decode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

}  // namespace

std::string_view target_path(std::string_view target) {
  const size_t q = target.find_first_of("?#");
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::optional<RequestTarget> parse_target(std::string_view target, std::string& error) {
  RequestTarget t;
  const size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const size_t q = target.find('?');
  if (!percent_decode(target.substr(0, q), false, t.path)) {
    error = "malformed %-escape in the path";
    return std::nullopt;
  }
  if (q == std::string_view::npos) return t;
  std::string_view query = target.substr(q + 1);
  std::string name, value;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (!percent_decode(pair.substr(0, eq), true, name) ||
        !percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                        true, value)) {
      error = "malformed %-escape in the query";
      return std::nullopt;
    }
    if (!t.params.emplace(name, value).second) {
      error = "parameter \"" + printable_excerpt(name) + "\" given twice";
      return std::nullopt;
    }
  }
  return t;
}

}  // namespace nsm4::collector
