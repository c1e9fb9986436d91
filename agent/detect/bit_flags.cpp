#include "detect/bit_flags.h"

#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool letters_to_bits(std::string_view s, std::string_view letters, const uint8_t* bits,
                     uint8_t& out, char& mod, bool allow_mod, std::string& err) {
  out = 0;
  for (char ch : s) {
    if (ch == ' ') continue;
    if (allow_mod && (ch == '+' || ch == '*' || ch == '!' || ch == '=')) {
      mod = ch;
      continue;
    }
    if (ch == '0') continue;  // "no flags"
    char up = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
    size_t i = letters.find(up);
    if (i == std::string_view::npos) {
      err = std::string("unknown flag '") + ch + "' (known: " + std::string(letters) + ")";
      return false;
    }
    out |= bits[i];
  }
  return true;
}

}  // namespace

bool parse_bit_match(std::string_view text, std::string_view letters, const uint8_t* bits,
                     BitMatch& out, std::string& err) {
  auto parts = split(text, ',');
  if (parts.empty() || parts[0].empty()) {
    err = "expected flags";
    return false;
  }
  if (!letters_to_bits(parts[0], letters, bits, out.bits, out.mod, true, err)) return false;
  if (parts.size() > 1) {
    char unused = '=';
    if (!letters_to_bits(parts[1], letters, bits, out.ignore, unused, false, err)) return false;
  }
  if (parts.size() > 2) {
    err = "expected flags[,mask]";
    return false;
  }
  return true;
}

}  // namespace nsm4::detect
