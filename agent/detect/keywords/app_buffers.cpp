// The keyword rows made from the buffer registry (detect/buffer.h): each
// app-layer buffer is a sticky buffer keyword under its own name, some also
// under a legacy sticky name, and the HTTP ones under a legacy content
// modifier that moves the content before it into the buffer. Written as one
// table because the rows differ only in the buffer they name.
#include <array>
#include <vector>

#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

enum class Form : uint8_t { kSticky, kModifier };

struct Alias {
  std::string_view keyword;
  std::string_view buffer;
  Form form;
};

// Suricata's older spellings.
constexpr std::array kAliases = {
    Alias{"file_data", "file.data", Form::kSticky},
    Alias{"http_request_body", "http.request_body", Form::kSticky},
    Alias{"http_response_body", "http.response_body", Form::kSticky},
    Alias{"dns_query", "dns.query", Form::kSticky},
    Alias{"tls_sni", "tls.sni", Form::kSticky},
    Alias{"tls_cert_subject", "tls.cert_subject", Form::kSticky},
    Alias{"tls_cert_issuer", "tls.cert_issuer", Form::kSticky},
    Alias{"tls_cert_serial", "tls.cert_serial", Form::kSticky},
    Alias{"tls_cert_fingerprint", "tls.cert_fingerprint", Form::kSticky},
    Alias{"ja3_hash", "ja3.hash", Form::kSticky},
    Alias{"ja3_string", "ja3.string", Form::kSticky},
    Alias{"ja3s_hash", "ja3s.hash", Form::kSticky},
    Alias{"ja3s_string", "ja3s.string", Form::kSticky},
    Alias{"http_uri", "http.uri", Form::kModifier},
    Alias{"http_raw_uri", "http.uri.raw", Form::kModifier},
    Alias{"http_method", "http.method", Form::kModifier},
    Alias{"http_protocol", "http.protocol", Form::kModifier},
    Alias{"http_request_line", "http.request_line", Form::kModifier},
    Alias{"http_header", "http.header", Form::kModifier},
    Alias{"http_raw_header", "http.header.raw", Form::kModifier},
    Alias{"http_header_names", "http.header_names", Form::kModifier},
    Alias{"http_start", "http.start", Form::kModifier},
    Alias{"http_host", "http.host", Form::kModifier},
    Alias{"http_raw_host", "http.host.raw", Form::kModifier},
    Alias{"http_user_agent", "http.user_agent", Form::kModifier},
    Alias{"http_cookie", "http.cookie", Form::kModifier},
    Alias{"http_content_type", "http.content_type", Form::kModifier},
    Alias{"http_content_len", "http.content_len", Form::kModifier},
    Alias{"http_accept", "http.accept", Form::kModifier},
    Alias{"http_accept_enc", "http.accept_enc", Form::kModifier},
    Alias{"http_accept_lang", "http.accept_lang", Form::kModifier},
    Alias{"http_referer", "http.referer", Form::kModifier},
    Alias{"http_connection", "http.connection", Form::kModifier},
    Alias{"http_location", "http.location", Form::kModifier},
    Alias{"http_server", "http.server", Form::kModifier},
    Alias{"http_stat_code", "http.stat_code", Form::kModifier},
    Alias{"http_stat_msg", "http.stat_msg", Form::kModifier},
    Alias{"http_response_line", "http.response_line", Form::kModifier},
    Alias{"http_client_body", "http.request_body", Form::kModifier},
    Alias{"http_server_body", "http.response_body", Form::kModifier},
};

const BufferDef* buffer_for(std::string_view keyword) {
  for (const Alias& a : kAliases)
    if (a.keyword == keyword) return find_buffer(a.buffer);
  return find_buffer(keyword);
}

bool parse_sticky(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  const BufferDef* b = buffer_for(o.name);
  if (!b) {
    err = "unknown buffer";
    return false;
  }
  return rb.select_buffer(*b, err);
}

bool parse_modifier(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  const BufferDef* b = buffer_for(o.name);
  if (!b) {
    err = "unknown buffer";
    return false;
  }
  return rb.move_last_to(*b, o.name, err);
}

std::vector<KeywordDef> make_rows() {
  std::vector<KeywordDef> rows;
  rows.reserve(static_cast<size_t>(kBufferCount) + kAliases.size());
  for (int i = static_cast<int>(kFirstAppBuffer); i < kBufferCount; ++i) {
    const BufferDef& b = buffer_def(static_cast<BufferId>(i));
    rows.push_back({b.name, b.help, kKwSticky, parse_sticky});
  }
  for (const Alias& a : kAliases) {
    const BufferDef* b = find_buffer(a.buffer);
    if (a.form == Form::kSticky)
      rows.push_back({a.keyword, b->help, kKwSticky, parse_sticky});
    else
      rows.push_back({a.keyword, b->help, kKwModifier, parse_modifier});
  }
  return rows;
}

}  // namespace

std::span<const KeywordDef> app_buffer_keywords() {
  static const std::vector<KeywordDef> rows = make_rows();
  return rows;
}

}  // namespace nsm4::detect
