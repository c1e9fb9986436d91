#pragma once
// Bit-set comparisons with Suricata's modifiers, shared by flags and fragbits:
// none = exactly these (after the ignore mask), '+' = these and maybe others,
// '*' = any of these, '!' = not all of these.
#include <cstdint>
#include <string>
#include <string_view>

namespace nsm4::detect {

struct BitMatch {
  uint8_t bits = 0;
  uint8_t ignore = 0;  // bits left out of the comparison
  char mod = '=';
  bool matches(uint8_t v) const {
    v &= static_cast<uint8_t>(~ignore);
    switch (mod) {
      case '+':
        return (v & bits) == bits;
      case '*':
        return (v & bits) != 0;
      case '!':
        return (v & bits) != bits;
      default:
        return v == bits;
    }
  }
  std::string key() const { return std::to_string(bits) + '/' + std::to_string(ignore) + mod; }
};

// letters: the keyword's letter -> bit table (e.g. "FSRPAUCE").
bool parse_bit_match(std::string_view text, std::string_view letters, const uint8_t* bits,
                     BitMatch& out, std::string& err);

}  // namespace nsm4::detect
