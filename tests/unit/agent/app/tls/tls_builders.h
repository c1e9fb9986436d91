#pragma once
// Hand-built TLS messages for the TLS tests: hellos, records, handshake
// framing, and a self-signed certificate made with OpenSSL.
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nsm4::app::tls::testing {

using Bytes = std::vector<uint8_t>;

inline void put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void put24(Bytes& b, uint32_t v) {
  b.push_back(static_cast<uint8_t>(v >> 16));
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
inline void append(Bytes& b, const Bytes& more) {
  b.insert(b.end(), more.begin(), more.end());
}

struct Ext {
  uint16_t type;
  Bytes data;
};

inline Ext sni_ext(const std::string& host) {
  Bytes d;
  put16(d, static_cast<uint16_t>(host.size() + 3));
  d.push_back(0);
  put16(d, static_cast<uint16_t>(host.size()));
  d.insert(d.end(), host.begin(), host.end());
  return {0, d};
}

inline Ext u16_list_ext(uint16_t type, const std::vector<uint16_t>& v, bool one_byte_len = false) {
  Bytes d;
  if (one_byte_len) {
    d.push_back(static_cast<uint8_t>(v.size() * 2));
  } else {
    put16(d, static_cast<uint16_t>(v.size() * 2));
  }
  for (uint16_t x : v) put16(d, x);
  return {type, d};
}

inline Ext alpn_ext(const std::vector<std::string>& protos) {
  Bytes list;
  for (const auto& p : protos) {
    list.push_back(static_cast<uint8_t>(p.size()));
    list.insert(list.end(), p.begin(), p.end());
  }
  Bytes d;
  put16(d, static_cast<uint16_t>(list.size()));
  append(d, list);
  return {16, d};
}

inline Bytes ext_block(const std::vector<Ext>& exts) {
  Bytes e;
  for (const auto& x : exts) {
    put16(e, x.type);
    put16(e, static_cast<uint16_t>(x.data.size()));
    append(e, x.data);
  }
  Bytes out;
  put16(out, static_cast<uint16_t>(e.size()));
  append(out, e);
  return out;
}

// The body of a ClientHello (no handshake header).
inline Bytes client_hello_body(uint16_t version, const std::vector<uint16_t>& ciphers,
                               const std::vector<Ext>& exts, const Bytes& session_id = {}) {
  Bytes b;
  put16(b, version);
  for (int i = 0; i < 32; ++i) b.push_back(static_cast<uint8_t>(i));
  b.push_back(static_cast<uint8_t>(session_id.size()));
  append(b, session_id);
  put16(b, static_cast<uint16_t>(ciphers.size() * 2));
  for (uint16_t c : ciphers) put16(b, c);
  b.push_back(1);
  b.push_back(0);
  append(b, ext_block(exts));
  return b;
}

inline Bytes server_hello_body(uint16_t version, uint16_t cipher, const std::vector<Ext>& exts,
                               const Bytes& session_id = {}) {
  Bytes b;
  put16(b, version);
  for (int i = 0; i < 32; ++i) b.push_back(static_cast<uint8_t>(0x80 + i));
  b.push_back(static_cast<uint8_t>(session_id.size()));
  append(b, session_id);
  put16(b, cipher);
  b.push_back(0);
  if (!exts.empty()) append(b, ext_block(exts));
  return b;
}

inline Bytes handshake(uint8_t type, const Bytes& body) {
  Bytes b{type};
  put24(b, static_cast<uint32_t>(body.size()));
  append(b, body);
  return b;
}

inline Bytes record(uint8_t type, const Bytes& body, uint16_t version = 0x0303) {
  Bytes b{type};
  put16(b, version);
  put16(b, static_cast<uint16_t>(body.size()));
  append(b, body);
  return b;
}

inline Bytes certificate_body(const std::vector<Bytes>& ders) {
  Bytes list;
  for (const auto& d : ders) {
    put24(list, static_cast<uint32_t>(d.size()));
    append(list, d);
  }
  Bytes b;
  put24(b, static_cast<uint32_t>(list.size()));
  append(b, list);
  return b;
}

// A self-signed certificate: subject and issuer "C=US, ST=California,
// L=Mountain View, O=Google Inc, CN=*.google.com", serial 0x97E647 (DER
// 00:97:E6:47), valid from 1969-12-31T00:00:00 to 2038-12-31T00:10:03.
inline Bytes make_test_certificate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER* serial = ASN1_INTEGER_new();
  ASN1_INTEGER_set(serial, 0x97E647);
  X509_set_serialNumber(x, serial);
  ASN1_INTEGER_free(serial);
  ASN1_TIME_set(X509_getm_notBefore(x), -86400);  // 1969-12-31T00:00:00
  ASN1_TIME_set_string(X509_getm_notAfter(x), "20381231001003Z");
  X509_NAME* name = X509_get_subject_name(x);
  const char* fields[][2] = {{"C", "US"},
                             {"ST", "California"},
                             {"L", "Mountain View"},
                             {"O", "Google Inc"},
                             {"CN", "*.google.com"}};
  for (const auto& f : fields)
    X509_NAME_add_entry_by_txt(name, f[0], MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(f[1]), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  unsigned char* der = nullptr;
  int len = i2d_X509(x, &der);
  Bytes out(der, der + (len > 0 ? len : 0));
  OPENSSL_free(der);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace nsm4::app::tls::testing
