#include "output/forward_url.h"

#include <arpa/inet.h>

#include "nsm4/common/wire.h"

namespace nsm4::forward {

namespace {

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool valid_port(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  unsigned v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v >= 1 && v <= 65535;
}

}  // namespace

std::optional<ForwardUrl> parse_forward_url(std::string_view url, std::string& error) {
  ForwardUrl out;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    out.tls = false;
    rest = url.substr(7);
  } else {
    error = "collector URL '" + std::string(url) + "': expected https://HOST[:PORT]";
    return std::nullopt;
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    error = "collector URL '" + std::string(url) + "': credentials in the URL are not supported";
    return std::nullopt;
  }
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "collector URL '" + std::string(url) + "': unterminated [IPv6 address]";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "collector URL '" + std::string(url) + "': junk after the IPv6 address";
        return std::nullopt;
      }
      port = after.substr(1);
      has_port = true;
    }
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (out.host.empty()) {
    error = "collector URL '" + std::string(url) + "': no host";
    return std::nullopt;
  }
  if (!has_port) {
    out.port = out.tls ? "443" : "80";
  } else if (!valid_port(port)) {
    error = "collector URL '" + std::string(url) + "': bad port '" + std::string(port) + "'";
    return std::nullopt;
  } else {
    out.port = std::string(port);
  }
  if (path.find_first_of("?# ") != std::string_view::npos) {
    error = "collector URL '" + std::string(url) + "': query or fragment not supported";
    return std::nullopt;
  }
  // The URL names the collector; its events path is appended unless given.
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const std::string_view events = wire::kEventsPath;
  if (path.size() >= events.size() && path.substr(path.size() - events.size()) == events)
    out.target = std::string(path);
  else
    out.target = std::string(path) + std::string(events);
  out.host_is_ip = is_ip_literal(out.host);
  return out;
}

}  // namespace nsm4::forward
