#pragma once
// The collector URL of output.forward.url / --collector:
//   https://HOST[:PORT][/PREFIX]   (http:// only for loopback tests)
// HOST may be a name, an IPv4 address or a bracketed IPv6 address.
#include <optional>
#include <string>
#include <string_view>

namespace nsm4::forward {

struct ForwardUrl {
  bool tls = true;
  std::string host;    // without brackets
  std::string port;    // decimal
  std::string target;  // request path: PREFIX + /api/v1/events
  bool host_is_ip = false;
};

// nullopt with `error` set when the URL is not one of the forms above.
std::optional<ForwardUrl> parse_forward_url(std::string_view url, std::string& error);

}  // namespace nsm4::forward
