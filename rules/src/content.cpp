#include "nsm4/rules/content.h"

#include "nsm4/common/hex.h"

namespace nsm4::rules {

namespace {

bool fail(ParseError& err, size_t at, std::string msg) {
  err.offset = at;
  err.message = std::move(msg);
  return false;
}

}  // namespace

bool parse_content(std::string_view v, size_t base, ContentValue& out, ParseError& err) {
  out = ContentValue();
  size_t i = 0, end = v.size();
  while (i < end && (v[i] == ' ' || v[i] == '\t')) ++i;
  if (i < end && v[i] == '!') {
    out.negated = true;
    ++i;
    while (i < end && (v[i] == ' ' || v[i] == '\t')) ++i;
  }
  if (i < end && v[i] == '"') {
    size_t open = i;
    ++i;
    // The closing quote is the last character; an unescaped '"' before it is
    // reported by the loop below.
    size_t last = end;
    while (last > i && (v[last - 1] == ' ' || v[last - 1] == '\t')) --last;
    size_t close = std::string_view::npos;
    size_t backslashes = 0;
    for (size_t k = last - 1; k > i && v[k - 1] == '\\'; --k) ++backslashes;
    if (last > i && v[last - 1] == '"' && backslashes % 2 == 0) {
      close = last - 1;
    } else {
      for (size_t j = i; j < end; ++j) {
        if (v[j] == '\\') {
          ++j;
        } else if (v[j] == '"') {
          return fail(err, base + j + 1, "unexpected text after the closing '\"' of the string");
        }
      }
      return fail(err, base + open, "unterminated string: missing closing '\"'");
    }
    end = close;
  }

  bool in_hex = false;
  size_t hex_open = 0;
  int pending = -1;  // first nibble of a hex byte
  size_t pending_at = 0;
  for (; i < end; ++i) {
    char c = v[i];
    if (in_hex) {
      if (c == '|') {
        if (pending >= 0) {
          return fail(err, base + pending_at,
                      "odd number of hex digits in |...| block (each byte needs two digits)");
        }
        in_hex = false;
        continue;
      }
      if (c == ' ' || c == '\t') continue;
      int h = hex_value(c);
      if (h < 0) {
        return fail(err, base + i,
                    quoted(std::string(1, c)) + " is not a hex digit (inside the |...| block)");
      }
      if (pending < 0) {
        pending = h;
        pending_at = i;
      } else {
        out.bytes += static_cast<char>(pending << 4 | h);
        pending = -1;
      }
      continue;
    }
    if (c == '|') {
      in_hex = true;
      hex_open = i;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= end) return fail(err, base + i, "string ends with a lone backslash");
      char n = v[i + 1];
      if (n != '"' && n != '\\' && n != ';' && n != ':' && n != '|') {
        return fail(err, base + i,
                    "'\\" + std::string(1, n) +
                        "' is not a valid escape (use \\\" \\\\ \\; \\: or |hex| bytes)");
      }
      out.bytes += n;
      ++i;
      continue;
    }
    if (c == '"') {
      return fail(err, base + i, "unescaped '\"' inside the string (write \\\")");
    }
    out.bytes += c;
  }
  if (in_hex) return fail(err, base + hex_open, "unterminated |...| hex block: missing '|'");
  if (out.bytes.empty()) return fail(err, base, "empty content string");
  return true;
}

}  // namespace nsm4::rules
