#pragma once
// Client and server fingerprints: JA3 / JA3S (Salesforce: the decimal field
// lists, GREASE removed, and their MD5) and JA4 (FoxIO, as Suricata computes
// it: t<version><d|i><ciphers><extensions><alpn>_<sha256 of sorted
// ciphers>_<sha256 of sorted extensions _ signature algorithms>, 12 hex each).
#include <cstdint>
#include <string>
#include <string_view>

#include "app/tls/tls_hello.h"

namespace nsm4::app::tls {

// The 16 GREASE values of RFC 8701 (0x0a0a, 0x1a1a ... 0xfafa).
bool is_grease(uint16_t v);

std::string ja3_string(const ClientHello& ch);
std::string ja3s_string(const ServerHello& sh);
std::string ja4(const ClientHello& ch);

// Lower-case hex digests.
std::string md5_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace nsm4::app::tls
