#include "app/tls/tls_fingerprint.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace nsm4::app::tls {

namespace {

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 0xf]);
  }
  return hex;
}

template <typename T>
void append_dashed(std::string& s, const std::vector<T>& values, bool drop_grease) {
  bool first = true;
  for (T v : values) {
    if (drop_grease && is_grease(v)) continue;
    if (!first) s.push_back('-');
    s += std::to_string(v);
    first = false;
  }
}

std::string hex4_list(const std::vector<uint16_t>& values) {
  std::string s;
  char buf[8];
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) s.push_back(',');
    std::snprintf(buf, sizeof(buf), "%04x", values[i]);
    s += buf;
  }
  return s;
}

std::string_view ja4_version(uint16_t v) {
  switch (v) {
    case 0x0304:
      return "13";
    case 0x0303:
      return "12";
    case 0x0302:
      return "11";
    case 0x0301:
      return "10";
    case 0x0300:
      return "s3";
    default:
      return "00";
  }
}

}  // namespace

bool is_grease(uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

std::string md5_hex(std::string_view data) {
  return digest_hex(EVP_md5(), data);
}
std::string sha256_hex(std::string_view data) {
  return digest_hex(EVP_sha256(), data);
}

std::string ja3_string(const ClientHello& ch) {
  std::string s = std::to_string(ch.version);
  s.push_back(',');
  append_dashed(s, ch.ciphers, true);
  s.push_back(',');
  append_dashed(s, ch.extensions, true);
  s.push_back(',');
  append_dashed(s, ch.groups, true);
  s.push_back(',');
  append_dashed(s, ch.ec_point_formats, false);
  return s;
}

std::string ja3s_string(const ServerHello& sh) {
  std::string s = std::to_string(sh.version);
  s.push_back(',');
  s += std::to_string(sh.cipher);
  s.push_back(',');
  append_dashed(s, sh.extensions, true);
  return s;
}

std::string ja4(const ClientHello& ch) {
  // Version: the highest of legacy_version and supported_versions, GREASE ignored.
  uint16_t version = is_grease(ch.version) ? 0 : ch.version;
  for (uint16_t v : ch.supported_versions)
    if (!is_grease(v)) version = std::max(version, v);

  std::vector<uint16_t> ciphers;
  for (uint16_t c : ch.ciphers)
    if (!is_grease(c)) ciphers.push_back(c);
  std::vector<uint16_t> exts;  // hashed: all but SNI and ALPN
  size_t ext_count = 0;        // counted: all but GREASE
  for (uint16_t e : ch.extensions) {
    if (is_grease(e)) continue;
    ++ext_count;
    if (e != kExtServerName && e != kExtAlpn) exts.push_back(e);
  }
  std::vector<uint16_t> sig_algs;
  for (uint16_t a : ch.sig_algs)
    if (!is_grease(a)) sig_algs.push_back(a);

  // ALPN: first and last byte of the first protocol (at least 2 bytes, not GREASE).
  char alpn[2] = {'0', '0'};
  if (!ch.alpns.empty()) {
    const std::string& a = ch.alpns.front();
    uint16_t as_u16 =
        a.size() == 2
            ? static_cast<uint16_t>(static_cast<uint8_t>(a[0]) << 8 | static_cast<uint8_t>(a[1]))
            : 0;
    if (a.size() > 1 && !(a.size() == 2 && is_grease(as_u16))) {
      alpn[0] = a.front();
      alpn[1] = a.back();
    }
  }

  char head[16];
  std::snprintf(head, sizeof(head), "t%.2s%c%02zu%02zu", ja4_version(version).data(),
                ch.has_sni || std::find(ch.extensions.begin(), ch.extensions.end(),
                                        kExtServerName) != ch.extensions.end()
                    ? 'd'
                    : 'i',
                std::min<size_t>(ciphers.size(), 99), std::min<size_t>(ext_count, 99));
  std::string out = head;
  out.push_back(alpn[0]);
  out.push_back(alpn[1]);

  std::sort(ciphers.begin(), ciphers.end());
  std::sort(exts.begin(), exts.end());
  out.push_back('_');
  out += sha256_hex(hex4_list(ciphers)).substr(0, 12);
  out.push_back('_');
  out += sha256_hex(hex4_list(exts) + "_" + hex4_list(sig_algs)).substr(0, 12);
  return out;
}

}  // namespace nsm4::app::tls
