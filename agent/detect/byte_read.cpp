// The byte-reading part shared by byte_test, byte_jump, byte_extract and
// byte_math, and their option parser.
#include "detect/byte_read.h"

#include "detect/parse_util.h"

namespace nsm4::detect {

std::string ByteRead::key() const {
  return std::to_string(nbytes.value) + '/' + std::to_string(nbytes.var) + ',' +
         std::to_string(offset.value) + '/' + std::to_string(offset.var) + ',' +
         (string ? "s" : "b") + std::to_string(static_cast<int>(base)) + (little ? "l" : "B") +
         (dce ? "d" : "") + ",m" + std::to_string(bitmask);
}

bool ByteRead::read(const uint8_t* buf, uint32_t len, int64_t pos, int n, uint64_t& out) const {
  if (pos < 0 || n < 0 || pos > static_cast<int64_t>(len) || n > static_cast<int64_t>(len) - pos)
    return false;
  const uint8_t* p = buf + pos;
  uint64_t v = 0;
  if (string) {
    int b = static_cast<int>(base);
    int used = 0;
    for (int i = 0; i < n; ++i) {
      int d;
      uint8_t ch = p[i];
      if (ch >= '0' && ch <= '9') {
        d = ch - '0';
      } else if (ch >= 'a' && ch <= 'f') {
        d = ch - 'a' + 10;
      } else if (ch >= 'A' && ch <= 'F') {
        d = ch - 'A' + 10;
      } else {
        break;
      }
      if (d >= b) break;
      v = v * static_cast<uint64_t>(b) + static_cast<uint64_t>(d);
      ++used;
    }
    if (used == 0 && n > 0) return false;
  } else {
    if (n > 8) return false;
    for (int i = 0; i < n; ++i) {
      int idx = little ? n - 1 - i : i;
      v = (v << 8) | p[idx];
    }
  }
  if (bitmask) {
    v &= bitmask;
    uint32_t m = bitmask;
    while (m && !(m & 1)) {
      m >>= 1;
      v >>= 1;
    }
  }
  out = v;
  return true;
}

bool parse_byte_common(std::string_view word, RuleBuild& rb, ByteRead& rd, bool& relative,
                       bool& consumed, std::string& err) {
  consumed = true;
  if (word == "relative") {
    relative = true;
  } else if (word == "big") {
    rd.little = false;
  } else if (word == "little") {
    rd.little = true;
  } else if (word == "dce") {
    rd.dce = true;
  } else if (word == "string") {
    rd.string = true;
  } else if (word == "hex") {
    rd.base = NumBase::kHex;
  } else if (word == "dec") {
    rd.base = NumBase::kDec;
  } else if (word == "oct") {
    rd.base = NumBase::kOct;
  } else if (word.starts_with("bitmask")) {
    uint64_t m = 0;
    if (!parse_uint(trim(word.substr(7)), m) || m == 0 || m > 0xffffffffu) {
      err = "bitmask needs a non-zero 32-bit number";
      return false;
    }
    rd.bitmask = static_cast<uint32_t>(m);
  } else {
    consumed = false;
  }
  (void)rb;
  return true;
}

}  // namespace nsm4::detect
