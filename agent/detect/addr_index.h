#pragma once
// IP-only and header-only rules without a fast pattern would be checked on
// every packet. Those whose source (or destination) address set is small --
// ET Open's block lists, compromised hosts, Tor nodes -- are indexed here by
// that address instead: disjoint address segments, each with the rules whose
// set covers it, found by binary search.
#include <cstdint>
#include <vector>

#include "decode/ip_addr.h"
#include "nsm4/rules/address_set.h"

namespace nsm4::detect {

class AddrIndex {
 public:
  // Whether the set is small enough to index (at most 2^20 IPv4 and 2^64
  // IPv6 addresses).
  static bool small(const rules::AddressSet& s);
  // Adds a rule; rules must be added in increasing index order.
  void add(const rules::AddressSet& s, uint32_t rule);
  void build();
  bool empty() const { return v4_.rules.empty() && v6_.rules.empty(); }
  // Appends the rules whose set contains `a`.
  void lookup(const IpAddr& a, std::vector<uint32_t>& out) const;

 private:
  template <typename T>
  struct Part {
    struct Range {
      T lo, hi;
      uint32_t rule;
    };
    std::vector<Range> pending;
    std::vector<T> lo, hi;               // disjoint segments, sorted
    std::vector<uint32_t> first, count;  // into rules
    std::vector<uint32_t> rules;
    void build();
    void lookup(T v, std::vector<uint32_t>& out) const;
  };
  Part<uint32_t> v4_;
  Part<rules::Uint128> v6_;
};

}  // namespace nsm4::detect
