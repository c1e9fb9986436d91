#include "ingest/eve_line_scanner.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

#include "ingest/eve_timestamp.h"
#include "nsm4/common/hex.h"

namespace nsm4::collector {

namespace {

// Bytes a string can hold without a closer look: printable ASCII except '"' and '\'.
constexpr std::array<bool, 256> make_plain_table() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
  return t;
}
constexpr std::array<bool, 256> kPlain = make_plain_table();

// Where a key sits decides whether its value is extracted.
enum class Scope : uint8_t { kTop, kAlert, kOther };

enum class Field : uint8_t {
  kNone,
  kTimestamp,
  kEventType,
  kSrcIp,
  kDestIp,
  kCommunityId,
  kAlert,
  kSeverity,
  kSid,
  kSignature,
  kCategory
};

Field field_of(Scope scope, std::string_view key) {
  if (scope == Scope::kTop) {
    if (key == "timestamp") return Field::kTimestamp;
    if (key == "event_type") return Field::kEventType;
    if (key == "src_ip") return Field::kSrcIp;
    if (key == "dest_ip") return Field::kDestIp;
    if (key == "community_id") return Field::kCommunityId;
    if (key == "alert") return Field::kAlert;
  } else if (scope == Scope::kAlert) {
    if (key == "severity") return Field::kSeverity;
    if (key == "signature_id") return Field::kSid;
    if (key == "signature") return Field::kSignature;
    if (key == "category") return Field::kCategory;
  }
  return Field::kNone;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Scanner {
 public:
  Scanner(std::string_view line, int max_depth)
      : begin_(line.data()),
        p_(line.data()),
        end_(line.data() + line.size()),
        max_depth_(max_depth) {}

  bool scan(StoredEvent& ev);
  std::string take_error() { return std::move(error_); }

 private:
  // Not JSON at all, or nesting too deep.
  bool fail(std::string_view what) { return report("not JSON: ", what); }
  // Valid JSON so far, but not an EVE record the store can index: stops the scan.
  bool invalid(std::string_view what) { return report("", what); }
  // Like invalid(), but reported only if the rest of the line is JSON (so
  // that "not JSON" always wins); the scan goes on.
  void defer_invalid(std::string_view what) {
    if (deferred_.empty()) {
      deferred_.assign(what);
      deferred_.append(" at byte ");
      deferred_.append(std::to_string(p_ - begin_ + 1));
    }
  }
  bool report(std::string_view prefix, std::string_view what);
  bool fail_unexpected();
  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool string(std::string* out);
  bool string_text(std::string_view& text);
  void skip_plain_words();
  bool escape(std::string* out);
  bool utf8_sequence(std::string* out);
  bool hex4(uint32_t& out);
  bool number(int64_t* value, bool* integral);
  bool literal(std::string_view word);
  bool value(int depth);
  bool array(int depth);
  bool object(int depth, Scope scope, StoredEvent* ev);
  bool field_value(Field f, int depth, StoredEvent& ev);

  const char* begin_;
  const char* p_;
  const char* end_;
  int max_depth_;
  std::string error_;
  std::string deferred_;
  std::string key_;
  std::string text_;
  bool has_timestamp_ = false;
  std::optional<int64_t> timestamp_us_;
  std::string bad_timestamp_;  // the text, when timestamp_us_ is empty
  bool has_event_type_ = false;
};

bool Scanner::report(std::string_view prefix, std::string_view what) {
  if (error_.empty()) {
    error_.assign(prefix);
    error_.append(what);
    error_.append(" at byte ");
    error_.append(std::to_string(p_ - begin_ + 1));
  }
  return false;
}

bool Scanner::fail_unexpected() {
  if (p_ >= end_) return fail("unexpected end of line");
  const auto c = static_cast<unsigned char>(*p_);
  char buf[32];
  if (c >= 0x21 && c < 0x7F) {
    std::snprintf(buf, sizeof buf, "unexpected '%c'", c);
  } else {
    std::snprintf(buf, sizeof buf, "unexpected byte 0x%02X", c);
  }
  return fail(buf);
}

bool Scanner::hex4(uint32_t& out) {
  if (end_ - p_ < 4) return fail("truncated \\u escape");
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int h = hex_value(p_[i]);
    if (h < 0) return fail("invalid \\u escape");
    v = v * 16 + static_cast<uint32_t>(h);
  }
  p_ += 4;
  out = v;
  return true;
}

// At the character after a backslash.
bool Scanner::escape(std::string* out) {
  if (p_ >= end_) return fail("unterminated string");
  char c = 0;
  switch (*p_) {
    case '"':
    case '\\':
    case '/':
      c = *p_;
      break;
    case 'b':
      c = '\b';
      break;
    case 'f':
      c = '\f';
      break;
    case 'n':
      c = '\n';
      break;
    case 'r':
      c = '\r';
      break;
    case 't':
      c = '\t';
      break;
    case 'u': {
      ++p_;
      uint32_t cp = 0;
      if (!hex4(cp)) return false;
      if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate in \\u escape");
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u')
          return fail("high surrogate not followed by a low surrogate");
        p_ += 2;
        uint32_t low = 0;
        if (!hex4(low)) return false;
        if (low < 0xDC00 || low > 0xDFFF)
          return fail("high surrogate not followed by a low surrogate");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      }
      if (out) append_utf8(*out, cp);
      return true;
    }
    default:
      return fail("invalid escape");
  }
  ++p_;
  if (out) out->push_back(c);
  return true;
}

// At a byte >= 0x80: one well-formed UTF-8 sequence (Unicode table 3-7).
bool Scanner::utf8_sequence(std::string* out) {
  const auto b0 = static_cast<unsigned char>(*p_);
  int n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 2;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 3;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return fail("invalid UTF-8");
  }
  if (end_ - p_ <= n) return fail("invalid UTF-8");
  for (int i = 1; i <= n; ++i) {
    const auto b = static_cast<unsigned char>(p_[i]);
    if (b < lo || b > hi) return fail("invalid UTF-8");
    lo = 0x80;
    hi = 0xBF;
  }
  if (out) out->append(p_, static_cast<size_t>(n) + 1);
  p_ += n + 1;
  return true;
}

// Skips 8 bytes at a time while none of them needs a closer look (SWAR: a
// quote, a backslash, a control character or a non-ASCII byte).
void Scanner::skip_plain_words() {
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  while (end_ - p_ >= 8) {
    uint64_t w = 0;
    std::memcpy(&w, p_, 8);
    const uint64_t quote = w ^ (kOnes * '"');
    const uint64_t backslash = w ^ (kOnes * '\\');
    // A byte is zero in x when (x - 1) sets its high bit and x's own high bit is clear.
    const uint64_t special = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                             ((w - kOnes * 0x20) & ~w) | w;
    if (special & kHighs) return;
    p_ += 8;
  }
}

// At the opening quote; `out` (when given) receives the decoded text.
bool Scanner::string(std::string* out) {
  ++p_;
  if (out) out->clear();
  for (;;) {
    const char* run = p_;
    skip_plain_words();
    while (p_ < end_ && kPlain[static_cast<unsigned char>(*p_)]) ++p_;
    if (out) out->append(run, p_);
    if (p_ >= end_) return fail("unterminated string");
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c == '\\') {
      ++p_;
      if (!escape(out)) return false;
    } else if (c < 0x20) {
      return fail("control character in a string");
    } else if (!utf8_sequence(out)) {
      return false;
    }
  }
}

// At the opening quote: `text` views the string's text in the line when it has
// no escape (the usual case: no copy), else the decoded copy in text_.
bool Scanner::string_text(std::string_view& text) {
  const char* open = p_;
  if (!string(nullptr)) return false;
  const std::string_view raw(open + 1, static_cast<size_t>(p_ - open - 2));
  if (raw.find('\\') == std::string_view::npos) {
    text = raw;
    return true;
  }
  p_ = open;
  if (!string(&text_)) return false;
  text = text_;
  return true;
}

bool Scanner::number(int64_t* value, bool* integral) {
  const char* start = p_;
  bool is_int = true;
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;
  if (*p_ == '-') {
    negative = true;
    ++p_;
  }
  if (p_ >= end_) return fail("truncated number");
  if (*p_ == '0') {
    ++p_;
  } else if (*p_ >= '1' && *p_ <= '9') {
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      const auto d = static_cast<uint64_t>(*p_ - '0');
      if (magnitude > (std::numeric_limits<uint64_t>::max() - d) / 10) overflow = true;
      magnitude = magnitude * 10 + d;
      ++p_;
    }
  } else {
    return fail("invalid number");
  }
  if (p_ < end_ && *p_ == '.') {
    is_int = false;
    ++p_;
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') return fail("invalid number");
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    is_int = false;
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ >= end_ || *p_ < '0' || *p_ > '9') return fail("invalid number");
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
  }
  // Like most JSON readers (the API's clients among them), refuse numbers a double
  // cannot hold. Only long or exponent numbers can overflow; those are rare in EVE.
  constexpr ptrdiff_t kSafeDigits = 300;
  if (!is_int || overflow) {
    const bool exponent =
        std::find_if(start, p_, [](char c) { return c == 'e' || c == 'E'; }) != p_;
    if ((exponent || p_ - start > kSafeDigits) &&
        !std::isfinite(std::strtod(std::string(start, p_).c_str(), nullptr))) {
      p_ = start;
      return fail("number out of range");
    }
  }
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (overflow || magnitude > kMax + (negative ? 1 : 0)) is_int = false;
  if (integral) *integral = is_int;
  if (value && is_int) {
    *value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  }
  return true;
}

bool Scanner::literal(std::string_view word) {
  if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
    return fail_unexpected();
  p_ += word.size();
  return true;
}

bool Scanner::value(int depth) {
  if (p_ >= end_) return fail_unexpected();
  switch (*p_) {
    case '{':
      return object(depth + 1, Scope::kOther, nullptr);
    case '[':
      return array(depth + 1);
    case '"':
      return string(nullptr);
    case 't':
      return literal("true");
    case 'f':
      return literal("false");
    case 'n':
      return literal("null");
    default:
      if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number(nullptr, nullptr);
      return fail_unexpected();
  }
}

bool Scanner::array(int depth) {
  if (depth > max_depth_) return invalid("nesting deeper than " + std::to_string(max_depth_));
  ++p_;
  skip_ws();
  if (p_ < end_ && *p_ == ']') {
    ++p_;
    return true;
  }
  for (;;) {
    skip_ws();
    if (!value(depth)) return false;
    skip_ws();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      continue;
    }
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    return p_ >= end_ ? fail("unterminated array") : fail("expected ',' or ']'");
  }
}

bool Scanner::field_value(Field f, int depth, StoredEvent& ev) {
  const bool is_string = p_ < end_ && *p_ == '"';
  switch (f) {
    case Field::kTimestamp: {
      if (!is_string) {
        defer_invalid("timestamp is not a string");
        break;
      }
      std::string_view text;
      if (!string_text(text)) return false;
      has_timestamp_ = true;
      timestamp_us_ = parse_timestamp_us(text);
      if (timestamp_us_) {
        bad_timestamp_.clear();
      } else {
        bad_timestamp_.assign(text);
      }
      return true;
    }
    case Field::kEventType:
      if (!is_string) {
        defer_invalid("event_type is not a string");
        break;
      }
      has_event_type_ = true;
      return string(&ev.event_type);
    case Field::kSrcIp:
    case Field::kDestIp: {
      if (!is_string) break;
      std::string_view text;
      if (!string_text(text)) return false;
      (f == Field::kSrcIp ? ev.src_ip : ev.dest_ip) = normalise_ip(text);
      return true;
    }
    case Field::kCommunityId:
      if (!is_string) break;
      return string(&ev.community_id);
    case Field::kSignature:
      if (!is_string) break;
      return string(&ev.signature);
    case Field::kCategory:
      if (!is_string) break;
      return string(&ev.category);
    case Field::kAlert:
      if (p_ < end_ && *p_ == '{') return object(depth + 1, Scope::kAlert, &ev);
      break;
    case Field::kSeverity:
    case Field::kSid:
      if (p_ < end_ && (*p_ == '-' || (*p_ >= '0' && *p_ <= '9'))) {
        int64_t v = 0;
        bool integral = false;
        if (!number(&v, &integral)) return false;
        if (!integral) return true;
        if (f == Field::kSid) {
          ev.sid = v;
        } else if (v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max()) {
          ev.severity = static_cast<int>(v);
        }
        return true;
      }
      break;
    case Field::kNone:
      break;
  }
  return value(depth);
}

bool Scanner::object(int depth, Scope scope, StoredEvent* ev) {
  if (depth > max_depth_) return invalid("nesting deeper than " + std::to_string(max_depth_));
  ++p_;
  skip_ws();
  if (p_ < end_ && *p_ == '}') {
    ++p_;
    return true;
  }
  const bool extracting = ev != nullptr;
  for (;;) {
    skip_ws();
    if (p_ >= end_) return fail("unterminated object");
    if (*p_ != '"') return fail("expected a string key");
    if (!string(extracting ? &key_ : nullptr)) return false;
    skip_ws();
    if (p_ >= end_ || *p_ != ':') return fail("expected ':'");
    ++p_;
    skip_ws();
    const Field f = extracting ? field_of(scope, key_) : Field::kNone;
    if (f != Field::kNone) {
      if (!field_value(f, depth, *ev)) return false;
    } else if (!value(depth)) {
      return false;
    }
    skip_ws();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      continue;
    }
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    return p_ >= end_ ? fail("unterminated object") : fail("expected ',' or '}'");
  }
}

bool Scanner::scan(StoredEvent& ev) {
  skip_ws();
  if (p_ >= end_) return fail("empty line");
  if (*p_ != '{') {
    if (!value(0)) return false;
    skip_ws();
    if (p_ != end_) return fail("trailing characters after the value");
    error_ = "not a JSON object";
    return false;
  }
  if (!object(1, Scope::kTop, &ev)) return false;
  skip_ws();
  if (p_ != end_) return fail("trailing characters after the object");
  if (!deferred_.empty()) {
    error_ = std::move(deferred_);
    return false;
  }
  if (!has_event_type_) {
    error_ = "no event_type";
    return false;
  }
  if (ev.event_type.empty()) {
    error_ = "event_type is empty";
    return false;
  }
  if (has_timestamp_) {
    if (!timestamp_us_) {
      const std::string& bad = bad_timestamp_;
      constexpr size_t kShown = 64;
      size_t shown = std::min(kShown, bad.size());
      // Never cut a UTF-8 sequence: the error goes back to the client as JSON.
      while (shown < bad.size() && shown > 0 &&
             (static_cast<unsigned char>(bad[shown]) & 0xC0) == 0x80)
        --shown;
      error_ = "timestamp \"" + bad.substr(0, shown) + (shown < bad.size() ? "...\"" : "\"") +
               " is not an RFC 3339 time";
      return false;
    }
    ev.ts_us = *timestamp_us_;
  }
  return true;
}

}  // namespace

std::string normalise_ip(std::string_view text) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return {};
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  unsigned char addr[16];
  char out[INET6_ADDRSTRLEN];
  // glibc's inet_pton takes only the dotted-quad form without leading zeros,
  // which is exactly what inet_ntop would write back.
  if (inet_pton(AF_INET, buf, addr) == 1) return std::string(text);
  if (inet_pton(AF_INET6, buf, addr) == 1) {
    return inet_ntop(AF_INET6, addr, out, sizeof out) ? std::string(out) : std::string();
  }
  return {};
}

bool scan_eve_line(std::string_view line, StoredEvent& out, std::string& error,
                   const EveScanOptions& opt) {
  Scanner s(line, opt.max_depth);
  if (s.scan(out)) return true;
  error = s.take_error();
  return false;
}

}  // namespace nsm4::collector
