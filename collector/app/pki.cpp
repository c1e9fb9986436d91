#include "app/pki.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "nsm4/common/openssl_error.h"

namespace nsm4::collector::pki {

namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(FILE* p) const { std::fclose(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;

[[noreturn]] void fail(const std::string& what) {
  throw PkiError(what + ": " + openssl_error_reason());
}

Key new_ec_key() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) fail("cannot generate an EC P-256 key");
  return key;
}

// Opens for writing with `mode`, also when the file existed with another mode.
std::unique_ptr<FILE, Free> open_for_write(const std::string& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw PkiError("cannot write " + path);
  if (::fchmod(fd, mode) != 0) {
    ::close(fd);
    throw PkiError("cannot set the mode of " + path);
  }
  std::unique_ptr<FILE, Free> f(::fdopen(fd, "w"));
  if (!f) {
    ::close(fd);
    throw PkiError("cannot write " + path);
  }
  return f;
}

void write_key(const std::string& path, EVP_PKEY* key) {
  auto f = open_for_write(path, 0600);
  if (PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    fail("cannot write the key " + path);
  if (std::fflush(f.get()) != 0) throw PkiError("cannot write " + path);
}

void write_cert(const std::string& path, X509* cert) {
  auto f = open_for_write(path, 0644);
  if (PEM_write_X509(f.get(), cert) != 1) fail("cannot write the certificate " + path);
  if (std::fflush(f.get()) != 0) throw PkiError("cannot write " + path);
}

Cert read_cert(const std::string& path) {
  std::unique_ptr<FILE, Free> f(std::fopen(path.c_str(), "r"));
  if (!f) throw PkiError("cannot read " + path);
  Cert cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("no PEM certificate in " + path);
  return cert;
}

Key read_key(const std::string& path) {
  std::unique_ptr<FILE, Free> f(std::fopen(path.c_str(), "r"));
  if (!f) throw PkiError("cannot read " + path);
  Key key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
  if (!key) fail("no PEM private key in " + path);
  return key;
}

bool is_ip_literal(const std::string& name) {
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str());
  if (!ip) {
    ERR_clear_error();
    return false;
  }
  ASN1_OCTET_STRING_free(ip);
  return true;
}

// A certificate for `key` with a random 127-bit serial, valid from an hour ago
// (clock skew) for `days`; issuer set by the caller.
Cert new_cert(EVP_PKEY* key, const std::string& common_name, int days) {
  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) fail("X509_new");
  std::unique_ptr<BIGNUM, Free> serial(BN_new());
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    fail("cannot make a serial number");
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr))
    fail("cannot set the validity");
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name.c_str());
  if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("nsm4"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1)
    fail("bad common name '" + common_name + "'");
  if (X509_set_pubkey(cert.get(), key) != 1) fail("X509_set_pubkey");
  return cert;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    fail(std::string("cannot add ") + OBJ_nid2sn(nid) + " = " + value);
}

void sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) == 0) fail("cannot sign the certificate");
}

// Issues a leaf certificate for a new key, signed by `ca`, and writes both.
void issue_leaf(const CaFiles& ca, const CaFiles& out, const std::string& common_name, int days,
                const std::string& extended_usage, const std::string& san) {
  Cert ca_cert = read_cert(ca.cert_path);
  Key ca_key = read_key(ca.key_path);
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1)
    fail(ca.key_path + " is not the key of " + ca.cert_path);
  Key key = new_ec_key();
  Cert cert = new_cert(key.get(), common_name, days);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1)
    fail("X509_set_issuer_name");
  add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement");
  add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, extended_usage);
  add_ext(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
  add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  if (!san.empty()) add_ext(cert.get(), ca_cert.get(), NID_subject_alt_name, san);
  sign(cert.get(), ca_key.get());
  write_key(out.key_path, key.get());
  write_cert(out.cert_path, cert.get());
}

}  // namespace

void make_ca(const CaFiles& out, const std::string& common_name, int days) {
  Key key = new_ec_key();
  Cert cert = new_cert(key.get(), common_name, days);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1)
    fail("X509_set_issuer_name");
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  sign(cert.get(), key.get());
  write_key(out.key_path, key.get());
  write_cert(out.cert_path, cert.get());
}

void issue_server_cert(const CaFiles& ca, const CaFiles& out,
                       const std::vector<std::string>& extra_names, int days) {
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  for (const auto& name : extra_names) {
    if (name.empty() || name.find_first_of(", \t\r\n") != std::string::npos)
      throw PkiError("bad server name '" + name + "'");
    san += (is_ip_literal(name) ? ",IP:" : ",DNS:") + name;
  }
  issue_leaf(ca, out, "nsm4-collector", days, "serverAuth", san);
}

void issue_client_cert(const CaFiles& ca, const CaFiles& out, const std::string& common_name,
                       int days) {
  issue_leaf(ca, out, common_name, days, "clientAuth", "");
}

std::string verify_certificate(const std::string& ca_cert_path, const std::string& cert_path,
                               Purpose purpose, const std::string& host) {
  Cert ca = read_cert(ca_cert_path);
  Cert cert = read_cert(cert_path);
  std::unique_ptr<X509_STORE, Free> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, Free> ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1)
    fail("cannot set up verification");
  X509_STORE_CTX_set_purpose(
      ctx.get(), purpose == Purpose::kServer ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (!host.empty()) {
    const int ok = is_ip_literal(host) ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                       : X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
    if (ok != 1) fail("bad host name '" + host + "'");
  }
  if (X509_verify_cert(ctx.get()) == 1) return {};
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace nsm4::collector::pki
