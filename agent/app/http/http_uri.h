#pragma once
// Request URI parsing and normalisation as libhtp does it for Suricata's
// default (IDS) personality, minus lower-casing (Suricata turns that off):
// the path is %-decoded (%2f and %u too), backslashes become slashes,
// repeated slashes are compressed, UTF-8 is mapped best-fit to single bytes
// and dot segments are removed; the query stays as sent.
#include <string>
#include <string_view>

namespace nsm4::app::http {

struct UriParts {
  std::string_view scheme;
  std::string_view authority;  // "host:port" of an absolute URI (or of CONNECT)
  std::string_view path;
  std::string_view query;  // without '?'
  std::string_view fragment;
  bool has_query = false;
  bool has_fragment = false;
};

// `is_connect`: the URI is an authority (CONNECT host:port).
UriParts split_uri(std::string_view uri, bool is_connect);

struct HostPort {
  std::string host;  // lower-cased, trailing dots removed
  int port = -1;     // -1 when absent
  bool port_invalid = false;
};
// "user@Host.Example.:8080" -> {"host.example", 8080}; "[::1]:80" keeps the brackets.
HostPort parse_authority(std::string_view authority);

// %XX and %uXXXX decoding, '\' -> '/', "//" -> "/", best-fit UTF-8.
std::string decode_path(std::string_view path);
// RFC 3986 5.2.4.
std::string remove_dot_segments(std::string_view path);
// The normalised URI: path, then "?query" and "#fragment" when present.
std::string normalize_uri(std::string_view uri, bool is_connect);

}  // namespace nsm4::app::http
