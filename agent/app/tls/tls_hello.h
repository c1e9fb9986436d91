#pragma once
// ClientHello and ServerHello: the fields nsm4 logs and fingerprints.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nsm4::app::tls {

inline constexpr uint16_t kExtServerName = 0;
inline constexpr uint16_t kExtSupportedGroups = 10;
inline constexpr uint16_t kExtEcPointFormats = 11;
inline constexpr uint16_t kExtSignatureAlgorithms = 13;
inline constexpr uint16_t kExtAlpn = 16;
inline constexpr uint16_t kExtSupportedVersions = 43;

// Values as sent, GREASE included (the fingerprints filter it).
struct ClientHello {
  uint16_t version = 0;  // legacy_version
  std::vector<uint8_t> random;
  std::vector<uint8_t> session_id;
  std::vector<uint16_t> ciphers;
  std::vector<uint16_t> extensions;  // extension types in order
  std::vector<uint16_t> groups;
  std::vector<uint8_t> ec_point_formats;
  std::vector<uint16_t> sig_algs;
  std::vector<uint16_t> supported_versions;
  std::string sni;  // the first host_name entry
  bool has_sni = false;
  std::vector<std::string> alpns;
};

struct ServerHello {
  uint16_t version = 0;           // legacy_version
  uint16_t selected_version = 0;  // supported_versions extension, 0 when absent
  std::vector<uint8_t> random;
  std::vector<uint8_t> session_id;
  uint16_t cipher = 0;
  std::vector<uint16_t> extensions;
  std::vector<std::string> alpns;
};

// Parse the body of a handshake message (after the 4-byte header). Anomalies
// (Suricata's event names) are appended to `events`; false when the message
// is truncated or malformed (what was read before stays filled in).
bool parse_client_hello(std::span<const uint8_t> body, ClientHello& out,
                        std::vector<std::string_view>& events);
bool parse_server_hello(std::span<const uint8_t> body, ServerHello& out,
                        std::vector<std::string_view>& events);

// The version a ServerHello negotiated: supported_versions when present, with
// the early TLS 1.3 drafts (0x7f01..0x7f0f) folded to 0x7f01 as Suricata does.
uint16_t negotiated_version(const ServerHello& sh);
// TLS 1.3 or one of its drafts: the server's handshake after its hello is encrypted.
bool is_tls13_family(uint16_t version);

}  // namespace nsm4::app::tls
