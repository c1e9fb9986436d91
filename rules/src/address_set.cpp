#include "nsm4/rules/address_set.h"

#include <arpa/inet.h>

#include <cstring>

namespace nsm4::rules {

namespace {

Uint128 v6_mask_low(int prefix) {
  // Bits below the prefix set: the host part.
  if (prefix <= 0) return kMaxV6;
  if (prefix >= 128) return 0;
  return kMaxV6 >> prefix;
}

std::string v4_text(uint32_t a) {
  char buf[INET_ADDRSTRLEN];
  uint32_t n = htonl(a);
  inet_ntop(AF_INET, &n, buf, sizeof(buf));
  return buf;
}

std::string v6_text(Uint128 v) {
  uint8_t b[16];
  for (int i = 15; i >= 0; --i) {
    b[i] = static_cast<uint8_t>(v & 0xff);
    v >>= 8;
  }
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, b, buf, sizeof(buf));
  return buf;
}

template <typename T>
T low_mask(int k, int bits) {
  return k >= bits ? ~static_cast<T>(0) : static_cast<T>((static_cast<T>(1) << k) - 1);
}

// Splits [lo, hi] into the fewest CIDR blocks and appends them as text.
template <typename T>
void append_cidrs(std::string& out, T lo, T hi, int bits, std::string (*text)(T)) {
  while (true) {
    int k = 0;  // host bits of the block starting at lo
    while (k < bits) {
      T m = low_mask<T>(k + 1, bits);
      if ((lo & m) != 0 || m > hi - lo) break;
      ++k;
    }
    if (!out.empty()) out += ',';
    out += text(lo);
    out += '/';
    out += std::to_string(bits - k);
    T m = low_mask<T>(k, bits);
    if (m >= hi - lo) break;
    lo = lo + m + 1;
  }
}

}  // namespace

std::optional<uint32_t> parse_ipv4(std::string_view text) {
  if (text.empty() || text.size() >= INET_ADDRSTRLEN) return std::nullopt;
  char buf[INET_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in_addr a{};
  if (inet_pton(AF_INET, buf, &a) != 1) return std::nullopt;
  return ntohl(a.s_addr);
}

std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  char buf[INET6_ADDRSTRLEN];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::array<uint8_t, 16> out{};
  if (inet_pton(AF_INET6, buf, out.data()) != 1) return std::nullopt;
  return out;
}

Uint128 v6_to_int(const uint8_t addr[16]) {
  Uint128 v = 0;
  for (int i = 0; i < 16; ++i) v = (v << 8) | addr[i];
  return v;
}

AddressSet AddressSet::any() {
  AddressSet s;
  s.v4_.add(0, kMaxV4);
  s.v6_.add(0, kMaxV6);
  return s;
}

AddressSet AddressSet::v4_cidr(uint32_t addr, int prefix) {
  uint32_t host = prefix <= 0 ? kMaxV4 : (prefix >= 32 ? 0 : (kMaxV4 >> prefix));
  AddressSet s;
  s.v4_.add(addr & ~host, addr | host);
  return s;
}

AddressSet AddressSet::v6_cidr(const std::array<uint8_t, 16>& addr, int prefix) {
  Uint128 v = v6_to_int(addr.data());
  Uint128 host = v6_mask_low(prefix);
  AddressSet s;
  s.v6_.add(v & ~host, v | host);
  return s;
}

bool AddressSet::contains_v6(const uint8_t addr[16]) const {
  return v6_.contains(v6_to_int(addr));
}

bool AddressSet::contains(std::string_view ip) const {
  if (auto v4 = parse_ipv4(ip)) return contains_v4(*v4);
  if (auto v6 = parse_ipv6(ip)) return contains_v6(v6->data());
  return false;
}

AddressSet AddressSet::complement() const {
  AddressSet s;
  s.v4_ = v4_.complement(kMaxV4);
  s.v6_ = v6_.complement(kMaxV6);
  return s;
}

AddressSet AddressSet::unite(const AddressSet& o) const {
  AddressSet s;
  s.v4_ = v4_.unite(o.v4_);
  s.v6_ = v6_.unite(o.v6_);
  return s;
}

AddressSet AddressSet::subtract(const AddressSet& o) const {
  AddressSet s;
  s.v4_ = v4_.subtract(o.v4_, kMaxV4);
  s.v6_ = v6_.subtract(o.v6_, kMaxV6);
  return s;
}

std::string AddressSet::to_string() const {
  if (is_any()) return "any";
  std::string out;
  for (const auto& r : v4_.ranges()) append_cidrs<uint32_t>(out, r.lo, r.hi, 32, v4_text);
  for (const auto& r : v6_.ranges()) append_cidrs<Uint128>(out, r.lo, r.hi, 128, v6_text);
  return out;
}

}  // namespace nsm4::rules
