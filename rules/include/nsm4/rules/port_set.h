#pragma once
// A resolved rule port specification: sorted port intervals, negation applied.
#include <cstdint>
#include <string>

#include "nsm4/rules/interval_set.h"

namespace nsm4::rules {

class PortSet {
 public:
  static PortSet any();
  static PortSet range(uint16_t lo, uint16_t hi);

  bool contains(uint16_t port) const { return ports_.contains(port); }
  PortSet complement() const;
  PortSet unite(const PortSet& o) const;
  PortSet subtract(const PortSet& o) const;
  bool empty() const { return ports_.empty(); }
  bool is_any() const { return ports_.is_full(0xffff); }
  const IntervalSet<uint16_t>& intervals() const { return ports_; }
  bool operator==(const PortSet& o) const { return ports_ == o.ports_; }
  // "any", or "80,1024:65535".
  std::string to_string() const;

 private:
  IntervalSet<uint16_t> ports_;
};

}  // namespace nsm4::rules
