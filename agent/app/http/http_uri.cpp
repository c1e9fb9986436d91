#include "app/http/http_uri.h"

#include <charconv>
#include <cstdint>

#include "nsm4/common/hex.h"

namespace nsm4::app::http {
namespace {

bool hex_run(std::string_view s, size_t pos, size_t n, uint32_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    int v = hex_value(s[pos + i]);
    if (v < 0) return false;
    out = out << 4 | static_cast<uint32_t>(v);
  }
  return true;
}

// A code point as one byte: Latin-1 as is, full-width ASCII to ASCII, else
// libhtp's replacement byte.
char bestfit(uint32_t cp) {
  if (cp < 0x100) return static_cast<char>(cp);
  if (cp >= 0xff01 && cp <= 0xff5e) return static_cast<char>(cp - 0xfee0);
  return '?';
}

// Length of the UTF-8 sequence starting at s[i] and its code point; 0 when
// not a valid, shortest-form multi-byte sequence.
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& cp) {
  auto b = static_cast<uint8_t>(s[i]);
  size_t n = 0;
  uint32_t min = 0;
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2, cp = b & 0x1fu, min = 0x80;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3, cp = b & 0x0fu, min = 0x800;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4, cp = b & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<uint8_t>(s[i + k]);
    if ((c & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (c & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

std::string utf8_bestfit(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    size_t n = static_cast<uint8_t>(s[i]) >= 0x80 ? utf8_sequence(s, i, cp) : 0;
    if (n == 0) {
      out.push_back(s[i++]);
    } else {
      out.push_back(bestfit(cp));
      i += n;
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    uint32_t v = 0;
    if (s[i] == '%' && hex_run(s, i + 1, 2, v)) {
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

UriParts split_uri(std::string_view uri, bool is_connect) {
  UriParts p;
  if (is_connect) {
    p.authority = uri;
    return p;
  }
  size_t pos = 0;
  if (!uri.empty() && uri[0] != '/') {
    size_t colon = uri.find_first_of(":/?#");
    if (colon != std::string_view::npos && uri[colon] == ':') {
      p.scheme = uri.substr(0, colon);
      pos = colon + 1;
      if (uri.substr(pos, 2) == "//") {
        size_t end = uri.find_first_of("/?#", pos + 2);
        if (end == std::string_view::npos) end = uri.size();
        p.authority = uri.substr(pos + 2, end - pos - 2);
        pos = end;
      }
    }
  }
  size_t end = uri.find_first_of("?#", pos);
  if (end == std::string_view::npos) end = uri.size();
  p.path = uri.substr(pos, end - pos);
  pos = end;
  if (pos < uri.size() && uri[pos] == '?') {
    size_t q_end = uri.find('#', pos + 1);
    if (q_end == std::string_view::npos) q_end = uri.size();
    p.query = uri.substr(pos + 1, q_end - pos - 1);
    p.has_query = true;
    pos = q_end;
  }
  if (pos < uri.size() && uri[pos] == '#') {
    p.fragment = uri.substr(pos + 1);
    p.has_fragment = true;
  }
  return p;
}

HostPort parse_authority(std::string_view authority) {
  HostPort hp;
  if (size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  std::string_view host = authority;
  size_t colon = std::string_view::npos;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close != std::string_view::npos) {
      host = authority.substr(0, close + 1);
      if (close + 1 < authority.size() && authority[close + 1] == ':') colon = close + 1;
    }
  } else {
    colon = authority.rfind(':');
    if (colon != std::string_view::npos) host = authority.substr(0, colon);
  }
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    while (!port.empty() && (port.back() == ' ' || port.back() == '\t')) port.remove_suffix(1);
    int v = 0;
    auto r = std::from_chars(port.data(), port.data() + port.size(), v);
    if (!port.empty() && r.ec == std::errc() && r.ptr == port.data() + port.size() && v > 0 &&
        v <= 65535)
      hp.port = v;
    else if (!port.empty())
      hp.port_invalid = true;
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  hp.host.reserve(host.size());
  for (char c : host) hp.host.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  return hp;
}

std::string decode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size();) {
    char c = path[i];
    uint32_t v = 0;
    if (c == '%' && i + 1 < path.size() && (path[i + 1] == 'u' || path[i + 1] == 'U') &&
        hex_run(path, i + 2, 4, v)) {
      c = bestfit(v);
      i += 6;
    } else if (c == '%' && hex_run(path, i + 1, 2, v)) {
      c = static_cast<char>(v);
      i += 3;
    } else {
      ++i;  // a plain byte, or an invalid %-encoding kept as is
    }
    if (c == '\\') c = '/';
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out.push_back(c);
  }
  return utf8_bestfit(out);
}

std::string remove_dot_segments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  auto drop_last_segment = [&out] {
    size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      drop_last_segment();
    } else if (in == "/..") {
      in = "/";
      drop_last_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      if (next == std::string_view::npos) next = in.size();
      out.append(in.substr(0, next));
      in.remove_prefix(next);
    }
  }
  return out;
}

std::string normalize_uri(std::string_view uri, bool is_connect) {
  if (is_connect) return std::string(uri);
  UriParts p = split_uri(uri, false);
  std::string out = remove_dot_segments(decode_path(p.path));
  if (p.has_query) {
    out.push_back('?');
    out.append(p.query);
  }
  if (p.has_fragment) {
    out.push_back('#');
    out.append(url_decode(p.fragment));
  }
  return out;
}

}  // namespace nsm4::app::http
