#pragma once
// A small private PKI for a first deployment (OpenSSL 3): an EC P-256 CA, a
// server certificate for the collector and client certificates for agents.
// Private keys are written with mode 0600.
#include <stdexcept>
#include <string>
#include <vector>

namespace nsm4::collector::pki {

class PkiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CaFiles {
  std::string cert_path;
  std::string key_path;
};

// A self-signed CA certificate (CA:TRUE, pathlen 0, keyCertSign and cRLSign).
void make_ca(const CaFiles& out, const std::string& common_name, int days);

// A server certificate signed by `ca`: CN = "nsm4-collector", SAN DNS:localhost,
// IP:127.0.0.1, IP:::1 plus `extra_names` (IP literals as IP:, others as DNS:).
void issue_server_cert(const CaFiles& ca, const CaFiles& out,
                       const std::vector<std::string>& extra_names, int days);

// A client certificate signed by `ca` with CN = `common_name` (the agent name).
void issue_client_cert(const CaFiles& ca, const CaFiles& out, const std::string& common_name,
                       int days);

enum class Purpose { kServer, kClient };

// "" when the certificate at `cert_path` chains to the CA at `ca_cert_path`
// for `purpose` (and, when `host` is set, names that DNS name or IP address);
// else the reason.
std::string verify_certificate(const std::string& ca_cert_path, const std::string& cert_path,
                               Purpose purpose, const std::string& host = "");

}  // namespace nsm4::collector::pki
