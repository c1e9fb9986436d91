#include "nsm4/rules/port_set.h"

namespace nsm4::rules {

PortSet PortSet::any() {
  return range(0, 0xffff);
}

PortSet PortSet::range(uint16_t lo, uint16_t hi) {
  PortSet s;
  s.ports_.add(lo, hi);
  return s;
}

PortSet PortSet::complement() const {
  PortSet s;
  s.ports_ = ports_.complement(0xffff);
  return s;
}

PortSet PortSet::unite(const PortSet& o) const {
  PortSet s;
  s.ports_ = ports_.unite(o.ports_);
  return s;
}

PortSet PortSet::subtract(const PortSet& o) const {
  PortSet s;
  s.ports_ = ports_.subtract(o.ports_, 0xffff);
  return s;
}

std::string PortSet::to_string() const {
  if (is_any()) return "any";
  std::string out;
  for (const auto& r : ports_.ranges()) {
    if (!out.empty()) out += ',';
    out += std::to_string(r.lo);
    if (r.hi != r.lo) out += ':' + std::to_string(r.hi);
  }
  return out;
}

}  // namespace nsm4::rules
