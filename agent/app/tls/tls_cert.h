#pragma once
// X.509 certificates of a Certificate handshake message, decoded with
// OpenSSL into the strings Suricata logs.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nsm4::app::tls {

struct CertInfo {
  bool present = false;
  std::string subject;  // "C=US, ST=California, O=Google Inc, CN=*.google.com"
  std::string issuer;
  std::string serial;       // DER integer bytes, upper-case hex joined by ':'
  std::string fingerprint;  // SHA-1 of the DER, lower-case hex joined by ':'
  std::string not_before;   // "YYYY-MM-DDTHH:MM:SS" (UTC); empty when unreadable
  std::string not_after;
  size_t chain_len = 0;          // certificates walked
  bool chain_truncated = false;  // the chain had more than max_certs
};

// Decodes one DER certificate. false (event INVALID_CERTIFICATE) when OpenSSL
// cannot parse it.
bool decode_certificate(std::span<const uint8_t> der, CertInfo& out);

// Parses a TLS <= 1.2 Certificate message body: the chain's first certificate
// fills `out`; at most max_certs are walked. Anomalies go to `events`.
bool parse_certificate_message(std::span<const uint8_t> body, uint32_t max_certs, CertInfo& out,
                               std::vector<std::string_view>& events);

}  // namespace nsm4::app::tls
