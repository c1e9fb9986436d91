#pragma once
// An IPv4 or IPv6 address as a plain value. IPv4 addresses occupy the first
// four bytes; the rest stay zero so that comparison and hashing are uniform.
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>

namespace nsm4 {

struct IpAddr {
  std::array<uint8_t, 16> bytes{};
  uint8_t version = 0;  // 4, 6, or 0 when unset

  static IpAddr v4(const uint8_t* p) {
    IpAddr a;
    std::memcpy(a.bytes.data(), p, 4);
    a.version = 4;
    return a;
  }
  static IpAddr v6(const uint8_t* p) {
    IpAddr a;
    std::memcpy(a.bytes.data(), p, 16);
    a.version = 6;
    return a;
  }
  size_t size() const { return version == 4 ? 4 : 16; }
  auto operator<=>(const IpAddr&) const = default;

  // Text as Suricata writes it in EVE: dotted quad for IPv4, and for IPv6 the
  // full form with every group as four hex digits (e.g. 2001:0db8:0000:...).
  std::string to_string() const;
  // RFC 5952 compressed form (2001:db8::1), for humans and logs.
  std::string to_compact_string() const;
};

}  // namespace nsm4
