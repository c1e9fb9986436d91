#include "api/api_common.h"

#include <openssl/crypto.h>

#include "ingest/eve_timestamp.h"
#include "nsm4/common/time_format.h"

namespace nsm4::collector {

std::string printable_excerpt(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    out.push_back(s[i] >= 0x20 && s[i] < 0x7F ? s[i] : '?');
  }
  if (s.size() > max) out.append("...");
  return out;
}

void refuse(CollectorServices& s, const Respond& respond, RejectReason reason, int status,
            const std::string& message) {
  s.counters.reject(reason);
  respond(json_error(status, message));
}

bool api_authorized(CollectorServices& s, const HttpRequest& req, const Respond& respond) {
  if (s.api_token.empty()) return true;
  const std::string expected = "Bearer " + s.api_token;
  const std::string* got = req.header("authorization");
  if (got && got->size() == expected.size() &&
      CRYPTO_memcmp(got->data(), expected.data(), expected.size()) == 0) {
    return true;
  }
  s.counters.reject(RejectReason::kUnauthorized);
  HttpResponse r = json_error(
      401, got ? "wrong API token" : "API token required (Authorization: Bearer <token>)");
  r.headers.emplace_back(
      "WWW-Authenticate",
      got ? "Bearer realm=\"nsm4-api\", error=\"invalid_token\"" : "Bearer realm=\"nsm4-api\"");
  respond(std::move(r));
  return false;
}

bool valid_name(std::string_view s) {
  constexpr size_t kMaxName = 64;
  if (s.empty() || s.size() > kMaxName) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<int64_t> parse_time_param(std::string_view s) {
  if (s.empty()) return std::nullopt;
  size_t pos = 0;
  bool negative = false;
  if (s[0] == '-') {
    negative = true;
    pos = 1;
  }
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  int64_t sec = 0;
  size_t int_digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    sec = sec * 10 + (s[pos] - '0');
    if (sec > kMaxSeconds) return std::nullopt;
    ++pos;
    ++int_digits;
  }
  if (int_digits > 0 && (pos == s.size() || s[pos] == '.')) {
    int64_t usec = 0;
    if (pos < s.size()) {
      ++pos;
      size_t n = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 6) usec = usec * 10 + (s[pos] - '0');
        ++n;
        ++pos;
      }
      if (n == 0 || pos != s.size()) return std::nullopt;
      for (size_t i = n; i < 6; ++i) usec *= 10;
    }
    const int64_t us = sec * 1'000'000 + usec;
    return negative ? -us : us;
  }
  if (negative) return std::nullopt;
  return parse_timestamp_us(s);
}

std::string format_time(int64_t us) {
  int64_t sec = us / 1'000'000;
  int64_t frac = us % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    --sec;
  }
  std::string out;
  append_eve_timestamp(out, sec, static_cast<int32_t>(frac));
  return out;
}

}  // namespace nsm4::collector
