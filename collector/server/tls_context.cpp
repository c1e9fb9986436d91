#include "server/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "nsm4/common/openssl_error.h"

namespace nsm4::collector::server_detail {

namespace {

namespace ssl = boost::asio::ssl;

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": " + openssl_error_reason());
}

}  // namespace

std::unique_ptr<ssl::context> make_server_tls_context(const ServerOptions& opt) {
  if (opt.tls_cert.empty() || opt.tls_key.empty())
    throw std::runtime_error("TLS needs both tls.cert and tls.key");
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(
      native, SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_use_certificate_chain_file(native, opt.tls_cert.c_str()) != 1)
    fail("tls.cert", opt.tls_cert);
  if (SSL_CTX_use_PrivateKey_file(native, opt.tls_key.c_str(), SSL_FILETYPE_PEM) != 1)
    fail("tls.key", opt.tls_key);
  if (SSL_CTX_check_private_key(native) != 1) fail("tls.key does not match tls.cert:", opt.tls_key);
  if (!opt.tls_client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(native, opt.tls_client_ca.c_str(), nullptr) != 1)
      fail("tls.client-ca", opt.tls_client_ca);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(opt.tls_client_ca.c_str());
    if (names) SSL_CTX_set_client_CA_list(native, names);
    // Requested, not required: agents may use a bearer token instead.
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
    static const unsigned char kSessionContext[] = "nsm4-collector";
    SSL_CTX_set_session_id_context(native, kSessionContext, sizeof kSessionContext - 1);
  }
  return ctx;
}

std::string verified_peer_cn(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert || SSL_get_verify_result(ssl) != X509_V_OK) return {};
  X509_NAME* subject = X509_get_subject_name(cert);
  const int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (idx < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return {};
  std::string cn(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return cn;
}

}  // namespace nsm4::collector::server_detail
