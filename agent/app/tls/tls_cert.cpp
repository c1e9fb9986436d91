#include "app/tls/tls_cert.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "app/tls/tls_records.h"

namespace nsm4::app::tls {

namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// "C=US, ST=California, CN=x": each attribute by its short name (dotted OID
// when OpenSSL has none), values as UTF-8, in certificate order.
std::string render_name(const X509_NAME* name) {
  std::string out;
  if (name == nullptr) return out;
  int n = X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* obj = X509_NAME_ENTRY_get_object(e);
    if (!out.empty()) out += ", ";
    int nid = OBJ_obj2nid(obj);
    const char* sn = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
    if (sn != nullptr) {
      out += sn;
    } else {
      char oid[80];
      OBJ_obj2txt(oid, sizeof(oid), obj, 1);
      out += oid;
    }
    out.push_back('=');
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
    if (len > 0) out.append(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return out;
}

std::string hex_joined(const unsigned char* p, size_t n, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 0xf]);
  }
  return out;
}

// The serial's DER content octets, leading sign byte included (as Suricata logs it).
std::string render_serial(const ASN1_INTEGER* serial) {
  unsigned char* der = nullptr;
  int len = i2d_ASN1_INTEGER(serial, &der);
  std::string out;
  if (len > 2) {
    ByteReader r(std::span<const uint8_t>(der, static_cast<size_t>(len)));
    r.u8();  // tag
    size_t content = r.u8();
    if (content & 0x80) {
      size_t octets = content & 0x7f;
      content = 0;
      for (size_t i = 0; i < octets && i < 4; ++i) content = content << 8 | r.u8();
    }
    auto bytes = r.bytes(content);
    if (r.ok()) out = hex_joined(bytes.data(), bytes.size(), true);
  }
  OPENSSL_free(der);
  return out;
}

std::string render_time(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return {};
  char buf[80];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace

bool decode_certificate(std::span<const uint8_t> der, CertInfo& out) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Free> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x) return false;
  out.subject = render_name(X509_get_subject_name(x.get()));
  out.issuer = render_name(X509_get_issuer_name(x.get()));
  out.serial = render_serial(X509_get0_serialNumber(x.get()));
  unsigned char sha1[EVP_MAX_MD_SIZE];
  unsigned int sha1_len = 0;
  if (EVP_Digest(der.data(), der.size(), sha1, &sha1_len, EVP_sha1(), nullptr) == 1)
    out.fingerprint = hex_joined(sha1, sha1_len, false);
  out.not_before = render_time(X509_get0_notBefore(x.get()));
  out.not_after = render_time(X509_get0_notAfter(x.get()));
  out.present = true;
  return true;
}

bool parse_certificate_message(std::span<const uint8_t> body, uint32_t max_certs, CertInfo& out,
                               std::vector<std::string_view>& events) {
  ByteReader r(body);
  uint32_t total = r.u24();
  if (!r.ok() || total > r.remaining()) {
    events.emplace_back("CERTIFICATE_INVALID_LENGTH");
    return false;
  }
  ByteReader chain(r.bytes(total));
  size_t n = 0;
  while (!chain.empty()) {
    uint32_t len = chain.u24();
    auto der = chain.bytes(len);
    if (!chain.ok()) {
      events.emplace_back("CERTIFICATE_INVALID_LENGTH");
      return false;
    }
    if (n >= max_certs) {  // the rest of the chain is not walked
      out.chain_truncated = true;
      break;
    }
    if (n == 0 && !decode_certificate(der, out)) {
      events.emplace_back("INVALID_CERTIFICATE");
      return false;
    }
    ++n;
  }
  out.chain_len = n;
  return true;
}

}  // namespace nsm4::app::tls
