#pragma once
// A throw-away PKI for TLS tests, made with OpenSSL's APIs: a CA and
// certificates it signs (server with a subjectAltName, or client), as PEM files.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace nsm4::testing {

class TestPki {
 public:
  // Writes <dir>/<tag>-ca.pem; certificates go next to it.
  TestPki(const std::filesystem::path& dir, const std::string& tag) : dir_(dir), tag_(tag) {
    ca_key_.reset(EVP_EC_gen("P-256"));
    ca_.reset(make_cert(ca_key_.get(), "nsm4 test CA " + tag, nullptr, nullptr, true, ""));
    ca_file_ = write_cert(ca_.get(), tag + "-ca.pem");
  }

  const std::string& ca_file() const { return ca_file_; }

  struct Issued {
    std::string cert_file;
    std::string key_file;
  };

  // san: e.g. "IP:127.0.0.1" (server) or "" (client certificate).
  Issued issue(const std::string& cn, const std::string& san) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        make_cert(key.get(), cn, ca_.get(), ca_key_.get(), false, san), X509_free);
    Issued out;
    out.cert_file = write_cert(cert.get(), tag_ + "-" + cn + "-cert.pem");
    out.key_file = (dir_ / (tag_ + "-" + cn + "-key.pem")).string();
    FILE* f = std::fopen(out.key_file.c_str(), "w");
    if (!f || PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      throw std::runtime_error("cannot write " + out.key_file);
    std::fclose(f);
    return out;
  }

 private:
  static void add_ext(X509* x, X509V3_CTX* ctx, int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
    if (!ext) throw std::runtime_error("bad extension " + value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }

  static X509* make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key,
                         bool ca, const std::string& san) {
    static long serial = 1;
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, nullptr, nullptr, 0);
    add_ext(x, &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    add_ext(x, &ctx, NID_subject_key_identifier, "hash");
    if (ca) {
      add_ext(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add_ext(x, &ctx, NID_authority_key_identifier, "keyid");
      add_ext(x, &ctx, NID_key_usage, "critical,digitalSignature");
      add_ext(x, &ctx, NID_ext_key_usage, san.empty() ? "clientAuth" : "serverAuth");
      if (!san.empty()) add_ext(x, &ctx, NID_subject_alt_name, san);
    }
    X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256());
    return x;
  }

  std::string write_cert(X509* x, const std::string& name) const {
    const std::string path = (dir_ / name).string();
    FILE* f = std::fopen(path.c_str(), "w");
    if (!f || PEM_write_X509(f, x) != 1) throw std::runtime_error("cannot write " + path);
    std::fclose(f);
    return path;
  }

  std::filesystem::path dir_;
  std::string tag_;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> ca_key_{nullptr, EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> ca_{nullptr, X509_free};
  std::string ca_file_;
};

}  // namespace nsm4::testing
