#include <string_view>

#include "nsm4/rules/keyword_registry.h"

namespace nsm4::rules {

namespace {

// The keywords issue 3 implements in agent/detect/.
constexpr std::string_view kSupported[] = {
    "msg", "sid", "rev", "gid", "classtype", "priority", "reference", "metadata", "target",
    "content", "nocase", "offset", "depth", "distance", "within", "fast_pattern", "startswith",
    "endswith", "pcre", "isdataat", "bsize", "dsize", "byte_test", "byte_jump", "byte_extract",
    "byte_math", "flow", "flags", "tcp.flags", "window", "seq", "ack", "ttl", "id", "fragbits",
    "ip_proto", "ipopts", "itype", "icode", "icmp_id", "icmp_seq", "ipv4.hdr", "ipv6.hdr",
    "tcp.hdr", "udp.hdr", "icmpv6.hdr", "pkt_data", "flowbits", "threshold", "detection_filter",
    "noalert", "app-layer-protocol",
    // Suricata accepts rawbytes and ignores it.
    "rawbytes"};

// App-layer keywords without a prefix that says so.
constexpr std::string_view kAppLayerNames[] = {
    "uricontent",  "urilen",          "file_data",       "filename",
    "fileext",     "filemagic",       "filestore",       "filemd5",
    "filesha1",    "filesha256",      "filesize",        "base64_decode",
    "base64_data", "app-layer-event", "app-layer-state", "ja3_hash",
    "ja3_string",  "ja3s_hash",       "ja3s_string",     "ja4.hash",
    "dce_iface",   "dce_opnum",       "dce_stub_data",   "asn1",
    "js_data",     "vba_data",        "raw_data",        "to_md5",
    "to_sha256",   "luajit"};

// Prefixes of app-layer buffers and keywords (Suricata and legacy spellings).
constexpr std::string_view kAppLayerPrefixes[] = {
    "http.", "http_", "http2.", "dns.",       "dns_",     "tls.",      "tls_",  "ssl_",    "file.",
    "ja3.",  "ja3s.", "ja4",    "ssh.",       "ssh_",     "smb.",      "smb_",  "dcerpc.", "krb5.",
    "krb5_", "sip.",  "sip_",   "ftp.",       "ftpdata_", "ftpbounce", "smtp.", "mqtt.",   "quic.",
    "snmp.", "ldap.", "rfb.",   "modbus",     "dnp3",     "enip",      "cip_",  "nfs_",    "tftp.",
    "rdp.",  "ike.",  "dhcp.",  "websocket.", "email.",   "pgsql."};

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

class DefaultRegistry : public KeywordRegistry {
 public:
  Support keyword_support(std::string_view name) const override {
    for (std::string_view k : kSupported)
      if (k == name) return Support::kSupported;
    for (std::string_view k : kAppLayerNames)
      if (k == name) return Support::kAppLayerPending;
    for (std::string_view p : kAppLayerPrefixes)
      if (starts_with(name, p)) return Support::kAppLayerPending;
    return Support::kUnknown;
  }

  Support protocol_support(const ProtocolInfo& proto) const override {
    return proto.layer == ProtoLayer::kApp ? Support::kAppLayerPending : Support::kSupported;
  }

  bool validate(const RuleOption&, std::string&) const override { return true; }
};

}  // namespace

const char* support_reason(Support s) {
  switch (s) {
    case Support::kSupported:
      return "supported";
    case Support::kAppLayerPending:
      return "needs app-layer parsing, not supported yet";
    case Support::kUnknown:
      return "keyword not implemented by nsm4";
  }
  return "?";
}

std::unique_ptr<KeywordRegistry> make_default_registry() {
  return std::make_unique<DefaultRegistry>();
}

bool is_parser_keyword(std::string_view name) {
  static constexpr std::string_view kMeta[] = {"msg",       "sid",      "rev",       "gid",
                                               "classtype", "priority", "reference", "metadata",
                                               "target",    "service",  "rem"};
  for (std::string_view k : kMeta)
    if (k == name) return true;
  return false;
}

}  // namespace nsm4::rules
