#pragma once
// A resolved rule address: IPv4 and IPv6 intervals with negation applied.
// contains() is a binary search over sorted intervals.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nsm4/rules/interval_set.h"

namespace nsm4::rules {

__extension__ typedef unsigned __int128 Uint128;

inline constexpr uint32_t kMaxV4 = 0xffffffffu;
inline constexpr Uint128 kMaxV6 = ~static_cast<Uint128>(0);

class AddressSet {
 public:
  static AddressSet any();
  static AddressSet none() { return AddressSet(); }
  // One CIDR block; prefix is clamped to the family's width by the caller.
  static AddressSet v4_cidr(uint32_t addr, int prefix);
  static AddressSet v6_cidr(const std::array<uint8_t, 16>& addr, int prefix);

  bool contains_v4(uint32_t addr_host_order) const { return v4_.contains(addr_host_order); }
  bool contains_v6(const uint8_t addr[16]) const;
  // For tests and tools: a textual IPv4 or IPv6 address; false if unparsable.
  bool contains(std::string_view ip) const;

  AddressSet complement() const;
  AddressSet unite(const AddressSet& o) const;
  AddressSet subtract(const AddressSet& o) const;

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool is_any() const { return v4_.is_full(kMaxV4) && v6_.is_full(kMaxV6); }
  const IntervalSet<uint32_t>& v4() const { return v4_; }
  const IntervalSet<Uint128>& v6() const { return v6_; }
  bool operator==(const AddressSet& o) const { return v4_ == o.v4_ && v6_ == o.v6_; }

  // "any", or the intervals as CIDR blocks: "10.0.0.0/8,2001:db8::/32".
  std::string to_string() const;

 private:
  IntervalSet<uint32_t> v4_;
  IntervalSet<Uint128> v6_;
};

// Textual IP parsing shared by the expression parser and tests.
std::optional<uint32_t> parse_ipv4(std::string_view text);
std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text);
Uint128 v6_to_int(const uint8_t addr[16]);

}  // namespace nsm4::rules
