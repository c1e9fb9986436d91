// from_base64[:bytes N, offset N, mode rfc4648|rfc2045|strict]: the buffer
// becomes the base64 decoding of its [offset, offset+bytes) part.
//   rfc4648 (default): decodes up to the first byte outside the alphabet,
//                      padding an unfinished quad.
//   rfc2045:           skips every byte outside the alphabet.
//   strict:            canonical padded base64 only, else fails.
// Decoding nothing fails the buffer (Suricata SIGMATCH_TRANSFORM_CAN_FAIL).
// As in Suricata, an offset at or past the end, or a byte count reaching the
// end of the buffer, leaves the buffer unchanged.
#include <array>
#include <cstdint>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

enum class Base64Mode { kRfc4648, kRfc2045, kStrict };

constexpr uint64_t kMaxOption = 65535;  // Suricata: offset and bytes fit a u16

int b64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// One quad of alphabet characters or '=' (Suricata's decoder): '=' in the
// first two places is an error; '=' third gives one byte, fourth two bytes.
bool decode_quad(const std::array<unsigned char, 4>& q, std::string& out) {
  int a = b64_value(q[0]);
  int b = b64_value(q[1]);
  if (a < 0 || b < 0) return false;
  out += static_cast<char>((a << 2) | (b >> 4));
  if (q[2] == '=') return true;
  int c = b64_value(q[2]);
  out += static_cast<char>(((b & 0xf) << 4) | (c >> 2));
  if (q[3] == '=') return true;
  int d = b64_value(q[3]);
  out += static_cast<char>(((c & 0x3) << 6) | d);
  return true;
}

bool in_quad_alphabet(unsigned char c) {
  return c == '=' || b64_value(c) >= 0;
}

bool decode_rfc4648(std::string_view in, std::string& out) {
  std::array<unsigned char, 4> q{};
  size_t n = 0;
  for (size_t i = 0;; ++i) {
    bool stop = i == in.size() || !in_quad_alphabet(static_cast<unsigned char>(in[i]));
    if (stop) {
      if (n == 0) return true;
      while (n < 4) q[n++] = '=';
      return decode_quad(q, out);
    }
    q[n++] = static_cast<unsigned char>(in[i]);
    if (n == 4) {
      if (!decode_quad(q, out)) return false;
      n = 0;
    }
  }
}

bool decode_rfc2045(std::string_view in, std::string& out) {
  std::array<unsigned char, 4> q{};
  size_t n = 0;
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (!in_quad_alphabet(c)) continue;
    q[n++] = c;
    if (n == 4) {
      if (!decode_quad(q, out)) return false;
      n = 0;
    }
  }
  return true;  // an unfinished last quad is dropped
}

// RFC 4648 canonical: length a multiple of 4, '=' only as the last one or two
// characters, and the bits a padded quad leaves unused are zero.
bool decode_strict(std::string_view in, std::string& out) {
  if (in.size() % 4 != 0) return false;
  for (size_t i = 0; i < in.size(); i += 4) {
    bool last = i + 4 == in.size();
    std::array<unsigned char, 4> q{};
    for (size_t k = 0; k < 4; ++k) q[k] = static_cast<unsigned char>(in[i + k]);
    size_t pad = q[3] == '=' ? (q[2] == '=' ? 2 : 1) : 0;
    if (pad > 0 && !last) return false;
    for (size_t k = 0; k < 4 - pad; ++k)
      if (b64_value(q[k]) < 0) return false;
    if (pad == 2 && (b64_value(q[1]) & 0xf) != 0) return false;
    if (pad == 1 && (b64_value(q[2]) & 0x3) != 0) return false;
    decode_quad(q, out);
  }
  return true;
}

const char* mode_name(Base64Mode m) {
  switch (m) {
    case Base64Mode::kRfc2045:
      return "rfc2045";
    case Base64Mode::kStrict:
      return "strict";
    case Base64Mode::kRfc4648:
      break;
  }
  return "rfc4648";
}

class FromBase64 final : public Transform {
 public:
  FromBase64(uint32_t bytes, uint32_t offset, Base64Mode mode)
      : bytes_(bytes), offset_(offset), mode_(mode) {}

  void apply(std::string_view in, std::string& out) const override { try_apply(in, out); }

  bool try_apply(std::string_view in, std::string& out) const override {
    const std::string_view whole = in;
    if (in.empty()) return true;
    if (offset_ > 0) {
      if (offset_ >= in.size()) return keep(whole, out);
      in.remove_prefix(offset_);
    }
    if (bytes_ > 0) {
      if (bytes_ >= in.size()) return keep(whole, out);
      in = in.substr(0, bytes_);
    }
    size_t start = out.size();
    bool ok = mode_ == Base64Mode::kRfc2045   ? decode_rfc2045(in, out)
              : mode_ == Base64Mode::kRfc4648 ? decode_rfc4648(in, out)
                                              : decode_strict(in, out);
    if (ok && out.size() > start) return true;
    out.resize(start);
    return false;
  }

  std::string key() const override {
    return "from_base64:bytes " + std::to_string(bytes_) + ",offset " + std::to_string(offset_) +
           ",mode " + mode_name(mode_);
  }

 private:
  static bool keep(std::string_view whole, std::string& out) {
    out += whole;
    return true;
  }

  uint32_t bytes_;
  uint32_t offset_;
  Base64Mode mode_;
};

std::shared_ptr<const Transform> parse(std::string_view value, std::string& err) {
  uint64_t bytes = 0;
  uint64_t offset = 0;
  Base64Mode mode = Base64Mode::kRfc4648;
  bool seen_bytes = false;
  bool seen_offset = false;
  bool seen_mode = false;
  value = transforms::trim_ws(value);
  if (value.empty()) return std::make_shared<const FromBase64>(0, 0, mode);
  size_t count = 0;
  while (true) {
    size_t comma = value.find(',');
    std::string_view opt = transforms::trim_ws(value.substr(0, comma));
    if (++count > 3) {
      err = "from_base64: at most 3 options (bytes, offset, mode), got " +
            transforms::quoted_for_error(value);
      return nullptr;
    }
    size_t sp = 0;
    while (sp < opt.size() && !transforms::is_ascii_space(static_cast<unsigned char>(opt[sp])))
      ++sp;
    std::string_view name = opt.substr(0, sp);
    std::string_view arg = transforms::trim_ws(opt.substr(sp));
    if (name.empty()) {
      err = "from_base64: empty option in " + transforms::quoted_for_error(value);
      return nullptr;
    }
    if (name == "bytes" || name == "offset") {
      bool& seen = name == "bytes" ? seen_bytes : seen_offset;
      if (seen) {
        err = "from_base64: " + std::string(name) + " given twice";
        return nullptr;
      }
      seen = true;
      if (!transforms::parse_decimal(arg, kMaxOption, name == "bytes" ? bytes : offset)) {
        err = "from_base64: " + std::string(name) + " must be a number from 0 to 65535, got " +
              transforms::quoted_for_error(arg);
        return nullptr;
      }
    } else if (name == "mode") {
      if (seen_mode) {
        err = "from_base64: mode given twice";
        return nullptr;
      }
      seen_mode = true;
      if (arg == "rfc4648") {
        mode = Base64Mode::kRfc4648;
      } else if (arg == "rfc2045") {
        mode = Base64Mode::kRfc2045;
      } else if (arg == "strict") {
        mode = Base64Mode::kStrict;
      } else {
        err = "from_base64: mode must be rfc4648, rfc2045 or strict, got " +
              transforms::quoted_for_error(arg);
        return nullptr;
      }
    } else {
      err = "from_base64: unknown option " + transforms::quoted_for_error(name) +
            " (expected bytes, offset or mode)";
      return nullptr;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return std::make_shared<const FromBase64>(static_cast<uint32_t>(bytes),
                                            static_cast<uint32_t>(offset), mode);
}

}  // namespace

extern const TransformDef kTransform_from_base64{
    "from_base64", "convert the base64 decode of the buffer", true, parse};

}  // namespace nsm4::detect
