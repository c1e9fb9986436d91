#pragma once
// The body of the EVE "tls" record, with Suricata 8's field names.
#include <cstdint>
#include <string>

namespace nsm4::app::tls {

struct TlsConfig;
class TlsTx;

// "TLS 1.2", "TLS 1.3", "TLSv1", "SSLv3", "TLS 1.3 draft-28", "UNDETERMINED"
// (0); an unknown version as its decimal value.
std::string version_name(uint16_t version);

// {"subject":...,"issuerdn":...,"serial":...,"fingerprint":...,"sni":...,
//  "version":...,"notbefore":...,"notafter":...,"ja3":{...},"ja3s":{...},
//  "ja4":...,"client_alpns":[...],"server_alpns":[...],"client":{...},
//  "client_handshake":{...},"server_handshake":{...}}
std::string eve_body(const TlsTx& tx, const TlsConfig& cfg);

}  // namespace nsm4::app::tls
