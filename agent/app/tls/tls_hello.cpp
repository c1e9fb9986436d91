#include "app/tls/tls_hello.h"

#include "app/tls/tls_records.h"

namespace nsm4::app::tls {

namespace {

constexpr size_t kRandomLen = 32;
constexpr size_t kMaxSessionId = 32;

void parse_sni(std::span<const uint8_t> ext, ClientHello& out,
               std::vector<std::string_view>& events) {
  if (out.has_sni) {
    events.emplace_back("MULTIPLE_SNI_EXTENSIONS");
    return;
  }
  ByteReader r(ext);
  uint16_t list_len = r.u16();
  if (!r.ok() || list_len > r.remaining()) {
    events.emplace_back("INVALID_SNI_LENGTH");
    return;
  }
  ByteReader list(r.bytes(list_len));
  while (!list.empty()) {
    uint8_t type = list.u8();
    uint16_t len = list.u16();
    auto name = list.bytes(len);
    if (!list.ok()) {
      events.emplace_back("INVALID_SNI_LENGTH");
      return;
    }
    if (type != 0) {
      events.emplace_back("INVALID_SNI_TYPE");
      continue;
    }
    if (!out.has_sni) {
      out.sni.assign(name.begin(), name.end());
      out.has_sni = true;
    }
  }
}

// A list of 1-byte-length-prefixed protocol names behind a 2-byte length.
bool parse_alpn(std::span<const uint8_t> ext, std::vector<std::string>& out) {
  ByteReader r(ext);
  uint16_t list_len = r.u16();
  ByteReader list(r.bytes(list_len));
  if (!r.ok()) return false;
  while (!list.empty()) {
    uint8_t len = list.u8();
    auto name = list.bytes(len);
    if (!list.ok()) return false;
    out.emplace_back(name.begin(), name.end());
  }
  return true;
}

void u16_list(ByteReader& r, size_t len_bytes, std::vector<uint16_t>& out) {
  size_t len = len_bytes == 1 ? r.u8() : r.u16();
  ByteReader list(r.bytes(len));
  while (list.remaining() >= 2) out.push_back(list.u16());
}

void parse_client_ext(uint16_t type, std::span<const uint8_t> ext, ClientHello& out,
                      std::vector<std::string_view>& events) {
  ByteReader r(ext);
  switch (type) {
    case kExtServerName:
      parse_sni(ext, out, events);
      break;
    case kExtSupportedGroups:
      u16_list(r, 2, out.groups);
      break;
    case kExtEcPointFormats: {
      uint8_t len = r.u8();
      auto fmts = r.bytes(len);
      out.ec_point_formats.assign(fmts.begin(), fmts.end());
      break;
    }
    case kExtSignatureAlgorithms:
      u16_list(r, 2, out.sig_algs);
      break;
    case kExtAlpn:
      if (!parse_alpn(ext, out.alpns)) events.emplace_back("INVALID_ALPN");
      break;
    case kExtSupportedVersions:
      u16_list(r, 1, out.supported_versions);
      break;
    default:
      break;
  }
}

// The session id: a 1-byte length (at most 32) and the bytes.
bool read_session_id(ByteReader& r, std::vector<uint8_t>& out,
                     std::vector<std::string_view>& events) {
  uint8_t len = r.u8();
  if (len > kMaxSessionId) {
    events.emplace_back("INVALID_HANDSHAKE_MESSAGE");
    return false;
  }
  auto sid = r.bytes(len);
  out.assign(sid.begin(), sid.end());
  return true;
}

// The extensions block that ends a hello (absent in SSLv3 and old TLS):
// each extension's type goes to `types`, its body to on_ext(type, body).
template <typename OnExt>
bool walk_extensions(ByteReader& r, std::vector<uint16_t>& types,
                     std::vector<std::string_view>& events, OnExt on_ext) {
  if (r.empty()) return true;
  uint16_t ext_len = r.u16();
  ByteReader exts(r.bytes(ext_len));
  if (!r.ok()) {
    events.emplace_back("INVALID_HANDSHAKE_MESSAGE");
    return false;
  }
  while (!exts.empty()) {
    uint16_t type = exts.u16();
    uint16_t len = exts.u16();
    auto ext = exts.bytes(len);
    if (!exts.ok()) {
      events.emplace_back("INVALID_HANDSHAKE_MESSAGE");
      return false;
    }
    types.push_back(type);
    on_ext(type, ext);
  }
  return true;
}

}  // namespace

bool parse_client_hello(std::span<const uint8_t> body, ClientHello& out,
                        std::vector<std::string_view>& events) {
  ByteReader r(body);
  out.version = r.u16();
  auto random = r.bytes(kRandomLen);
  out.random.assign(random.begin(), random.end());
  if (!read_session_id(r, out.session_id, events)) return false;
  uint16_t cs_len = r.u16();
  ByteReader cs(r.bytes(cs_len));
  while (cs.remaining() >= 2) out.ciphers.push_back(cs.u16());
  uint8_t comp_len = r.u8();
  r.bytes(comp_len);
  if (!r.ok() || cs_len % 2 != 0) {
    events.emplace_back("INVALID_HANDSHAKE_MESSAGE");
    return false;
  }
  return walk_extensions(r, out.extensions, events,
                         [&](uint16_t type, std::span<const uint8_t> ext) {
                           parse_client_ext(type, ext, out, events);
                         });
}

bool parse_server_hello(std::span<const uint8_t> body, ServerHello& out,
                        std::vector<std::string_view>& events) {
  ByteReader r(body);
  out.version = r.u16();
  auto random = r.bytes(kRandomLen);
  out.random.assign(random.begin(), random.end());
  // TLS 1.3 drafts before 22 have no session id and no compression; drafts
  // before 16 put 0x0304 itself in the version field.
  bool draft_without_sid =
      ((out.version >> 8) == 0x7f && (out.version & 0xff) < 22) || out.version == 0x0304;
  if (!draft_without_sid && !read_session_id(r, out.session_id, events)) return false;
  out.cipher = r.u16();
  if (!draft_without_sid) r.u8();  // compression method
  if (!r.ok()) {
    events.emplace_back("INVALID_HANDSHAKE_MESSAGE");
    return false;
  }
  return walk_extensions(r, out.extensions, events,
                         [&](uint16_t type, std::span<const uint8_t> ext) {
                           if (type == kExtSupportedVersions && ext.size() >= 2) {
                             out.selected_version = static_cast<uint16_t>(ext[0] << 8 | ext[1]);
                           } else if (type == kExtAlpn && !parse_alpn(ext, out.alpns)) {
                             events.emplace_back("INVALID_ALPN");
                           }
                         });
}

uint16_t negotiated_version(const ServerHello& sh) {
  uint16_t v = sh.selected_version != 0 ? sh.selected_version : sh.version;
  // 0x0304 in the hello's version field itself: a draft before 16.
  if ((v >= 0x7f01 && v < 0x7f10) || (sh.selected_version == 0 && v == 0x0304)) v = 0x7f01;
  return v;
}

bool is_tls13_family(uint16_t version) {
  return version == 0x0304 || (version >> 8) == 0x7f || (version >> 8) == 0xfb;
}

}  // namespace nsm4::app::tls
