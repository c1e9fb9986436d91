// xor: XOR-decodes the buffer with a repeating key.
//   xor:"0d0ac8ff"              static hex key (quotes optional), 1..255 bytes
//   xor:extract <n> <at>        the key is the n (1..255) bytes at buffer offset
//                               <at> (0..65535), read before decoding
//   xor:offset <N>,<key>        bytes before N are copied as they are; the key
//                               (either form) starts at N
// As in Suricata, a key or offset beyond the buffer leaves the buffer unchanged.
#include <cstdint>
#include <string>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

constexpr uint64_t kMaxKeyBytes = 255;
constexpr uint64_t kMaxExtractOffset = 65535;
constexpr uint64_t kMaxXorOffset = UINT32_MAX;

class Xor final : public Transform {
 public:
  // A static key, or (when `key` is empty) `extract_bytes` bytes at `extract_at`.
  Xor(std::string key, uint32_t extract_bytes, uint32_t extract_at, uint32_t offset)
      : key_(std::move(key)),
        extract_bytes_(extract_bytes),
        extract_at_(extract_at),
        offset_(offset) {}

  void apply(std::string_view in, std::string& out) const override {
    if (in.empty()) return;
    std::string_view key = key_;
    if (key.empty()) {
      if (extract_at_ + extract_bytes_ > in.size()) {
        out += in;
        return;
      }
      key = in.substr(extract_at_, extract_bytes_);
    }
    if (offset_ > in.size()) {
      out += in;
      return;
    }
    // `key` may view `in`, and `in` is never written, so no copy is needed.
    size_t start = out.size();
    out += in;
    for (size_t i = offset_, k = 0; i < in.size(); ++i) {
      out[start + i] = static_cast<char>(in[i] ^ key[k]);
      if (++k == key.size()) k = 0;
    }
  }

  std::string key() const override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string k = "xor:offset " + std::to_string(offset_) + ",";
    if (key_.empty())
      return k + "extract " + std::to_string(extract_bytes_) + " " + std::to_string(extract_at_);
    k += '"';
    for (char c : key_) {
      k += kHex[static_cast<unsigned char>(c) >> 4];
      k += kHex[static_cast<unsigned char>(c) & 0xf];
    }
    return k + '"';
  }

 private:
  std::string key_;
  uint32_t extract_bytes_;
  uint32_t extract_at_;
  uint32_t offset_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `word` followed by whitespace at the start of `s`: strips both.
bool take_keyword(std::string_view& s, std::string_view word) {
  if (s.size() <= word.size() || s.substr(0, word.size()) != word ||
      !transforms::is_ascii_space(static_cast<unsigned char>(s[word.size()])))
    return false;
  s = transforms::trim_ws(s.substr(word.size()));
  return true;
}

std::shared_ptr<const Transform> parse_key(std::string_view spec, uint32_t offset,
                                           std::string& err) {
  if (take_keyword(spec, "extract")) {
    size_t sp = 0;
    while (sp < spec.size() && !transforms::is_ascii_space(static_cast<unsigned char>(spec[sp])))
      ++sp;
    uint64_t n = 0;
    uint64_t at = 0;
    if (!transforms::parse_decimal(spec.substr(0, sp), kMaxKeyBytes, n) || n == 0 ||
        !transforms::parse_decimal(transforms::trim_ws(spec.substr(sp)), kMaxExtractOffset, at)) {
      err = "xor: extract takes '<bytes 1-255> <offset 0-65535>', got " +
            transforms::quoted_for_error(spec);
      return nullptr;
    }
    return std::make_shared<const Xor>(std::string(), static_cast<uint32_t>(n),
                                       static_cast<uint32_t>(at), offset);
  }
  std::string_view hex = spec;
  transforms::strip_quotes(hex);
  std::string key;
  bool ok = !hex.empty() && hex.size() % 2 == 0 && hex.size() / 2 <= kMaxKeyBytes;
  for (size_t i = 0; ok && i < hex.size(); i += 2) {
    int hi = hex_digit(hex[i]);
    int lo = hex_digit(hex[i + 1]);
    ok = hi >= 0 && lo >= 0;
    key += static_cast<char>((hi << 4) | lo);
  }
  if (!ok) {
    err = "xor: key must be 1 to 255 hex bytes in quotes (or 'extract <bytes> <offset>'), got " +
          transforms::quoted_for_error(spec);
    return nullptr;
  }
  return std::make_shared<const Xor>(std::move(key), 0, 0, offset);
}

std::shared_ptr<const Transform> parse(std::string_view value, std::string& err) {
  value = transforms::trim_ws(value);
  if (value.empty()) {
    err = "xor: needs a key: xor:\"<hex>\", xor:extract <bytes> <offset> or xor:offset <N>,<key>";
    return nullptr;
  }
  uint64_t offset = 0;
  if (take_keyword(value, "offset")) {
    size_t comma = value.find(',');
    if (comma == std::string_view::npos) {
      err = "xor: 'offset <N>' must be followed by ',<key>', got " +
            transforms::quoted_for_error(value);
      return nullptr;
    }
    std::string_view n = transforms::trim_ws(value.substr(0, comma));
    if (!transforms::parse_decimal(n, kMaxXorOffset, offset)) {
      err = "xor: offset must be a number from 0 to 4294967295, got " +
            transforms::quoted_for_error(n);
      return nullptr;
    }
    value = transforms::trim_ws(value.substr(comma + 1));
  }
  return parse_key(value, static_cast<uint32_t>(offset), err);
}

}  // namespace

extern const TransformDef kTransform_xor{"xor", "modify buffer via XOR decoding before inspection",
                                         true, parse};

}  // namespace nsm4::detect
