#pragma once
// A request target split into its path and its query parameters
// (application/x-www-form-urlencoded: %XX and '+' decoded).
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace nsm4::collector {

struct RequestTarget {
  std::string path;  // percent-decoded
  std::map<std::string, std::string, std::less<>> params;
};

// nullopt with `error` set when a %-escape is malformed or a parameter is
// given twice.
std::optional<RequestTarget> parse_target(std::string_view target, std::string& error);

// The path of a request target, without its query (not decoded).
std::string_view target_path(std::string_view target);

}  // namespace nsm4::collector
