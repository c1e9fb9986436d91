#include "nsm4/rules/snort3.h"

#include <algorithm>
#include <string_view>

namespace nsm4::rules {

namespace {

// Snort 3 option -> Suricata option. In Snort 3 the http_* names are sticky
// buffers (they apply to the options after them), exactly like Suricata's
// dotted buffers; in Suricata's legacy syntax the same names are content
// modifiers (applying to the content before them), which is why a rule's
// dialect must be known before its options are interpreted.
//
//   Snort 3                  Suricata            note
//   content:"x",depth 16     content:"x"; depth:16;  each ",mod arg" becomes an option
//   content:"x",nocase       content:"x"; nocase;
//   http_uri                 http.uri            sticky buffer
//   http_raw_uri             http.uri.raw
//   http_header              http.header
//   http_raw_header          http.header.raw
//   http_client_body         http.request_body
//   http_method              http.method
//   http_cookie              http.cookie
//   http_stat_code           http.stat_code
//   http_stat_msg            http.stat_msg
//   http_version             http.protocol
//   http_raw_request         http.request_line
//   http_raw_status          http.response_line
//   file_data                file.data
//   pkt_data                 pkt_data
//   raw_data                 pkt_data            both reset to the raw packet payload
//   dce_stub_data            dcerpc.stub_data
//   dce_iface                dcerpc.iface
//   dce_opnum                dcerpc.opnum
//   ,fast_pattern_offset N,fast_pattern_length M   fast_pattern:N,M
//   bufferlen                bsize
//   service:http,smtp        service             kept; decoded into Rule::services
//   rem:"text"               (dropped)           a comment
//   sid, gid, rev, msg, pcre, flow, flowbits, byte_*, isdataat, ... : same syntax
struct Mapping {
  std::string_view snort;
  std::string_view suricata;
  bool sticky;
};

constexpr Mapping kMappings[] = {
    {"http_uri", "http.uri", true},
    {"http_raw_uri", "http.uri.raw", true},
    {"http_header", "http.header", true},
    {"http_raw_header", "http.header.raw", true},
    {"http_client_body", "http.request_body", true},
    {"http_method", "http.method", true},
    {"http_cookie", "http.cookie", true},
    {"http_stat_code", "http.stat_code", true},
    {"http_stat_msg", "http.stat_msg", true},
    {"http_version", "http.protocol", true},
    {"http_raw_request", "http.request_line", true},
    {"http_raw_status", "http.response_line", true},
    {"file_data", "file.data", true},
    {"pkt_data", "pkt_data", true},
    {"raw_data", "pkt_data", true},
    {"dce_stub_data", "dcerpc.stub_data", true},
    {"dce_iface", "dcerpc.iface", false},
    {"dce_opnum", "dcerpc.opnum", false},
    {"bufferlen", "bsize", false},
};

const Mapping* find_mapping(std::string_view name) {
  for (const Mapping& m : kMappings)
    if (m.snort == name) return &m;
  return nullptr;
}

bool takes_comma_modifiers(std::string_view name) {
  return name == "content" || name == "regex";
}

// Position just after the closing quote of a leading quoted string (after an
// optional '!'), or npos when the value does not start with one.
size_t after_quoted(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && (v[i] == ' ' || v[i] == '!')) ++i;
  if (i >= v.size() || v[i] != '"') return std::string_view::npos;
  for (size_t j = i + 1; j < v.size(); ++j) {
    if (v[j] == '\\') {
      ++j;
    } else if (v[j] == '"') {
      return j + 1;
    }
  }
  return std::string_view::npos;
}

bool has_comma_modifiers(const RawOption& o) {
  if (!takes_comma_modifiers(o.name) || !o.has_value) return false;
  size_t end = after_quoted(o.value);
  if (end == std::string_view::npos) return false;
  while (end < o.value.size() && o.value[end] == ' ') ++end;
  return end < o.value.size() && o.value[end] == ',';
}

std::string_view trim(std::string_view s, size_t& lead) {
  lead = 0;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
    ++lead;
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Snort 3's ",fast_pattern_offset N,fast_pattern_length M" is Suricata's
// "fast_pattern:N,M;" (use only bytes N..N+M of the content as fast pattern).
void merge_fast_pattern_chop(std::vector<RawOption>& opts, size_t head_index) {
  int off = -1, len = -1;
  for (size_t i = head_index + 1; i < opts.size(); ++i) {
    if (opts[i].name == "fast_pattern_offset") off = static_cast<int>(i);
    if (opts[i].name == "fast_pattern_length") len = static_cast<int>(i);
  }
  if (off < 0 || len < 0) return;
  RawOption fp = opts[static_cast<size_t>(off)];
  fp.name = "fast_pattern";
  fp.value = opts[static_cast<size_t>(off)].value + "," + opts[static_cast<size_t>(len)].value;
  fp.has_value = true;
  size_t first = static_cast<size_t>(std::min(off, len));
  size_t second = static_cast<size_t>(std::max(off, len));
  opts.erase(opts.begin() + static_cast<long>(second));
  opts[first] = std::move(fp);
}

}  // namespace

bool looks_like_snort3(const std::vector<RawOption>& options) {
  bool seen_content = false;
  for (const RawOption& o : options) {
    if (o.name == "service" || o.name == "rem" || has_comma_modifiers(o)) return true;
    if (o.name == "content" || o.name == "uricontent" || o.name == "pcre") seen_content = true;
    const Mapping* m = find_mapping(o.name);
    // file_data and pkt_data are sticky in Suricata as well.
    if (!seen_content && m && m->sticky && o.name != "file_data" && o.name != "pkt_data")
      return true;
  }
  return false;
}

bool translate_snort3(std::vector<RawOption>& options, ParseError& err) {
  std::vector<RawOption> out;
  out.reserve(options.size() + 4);
  for (RawOption& o : options) {
    if (o.name == "rem") continue;
    if (const Mapping* m = find_mapping(o.name)) o.name = std::string(m->suricata);
    if (!has_comma_modifiers(o)) {
      out.push_back(std::move(o));
      continue;
    }
    size_t end = after_quoted(o.value);
    std::string rest = o.value.substr(end);
    size_t rest_offset = o.value_offset + end;
    RawOption head = o;
    head.value = o.value.substr(0, end);
    size_t head_index = out.size();
    out.push_back(std::move(head));
    // rest is ",mod arg,mod arg..."
    size_t i = rest.find(',') + 1;
    while (i <= rest.size()) {
      size_t comma = rest.find(',', i);
      size_t stop = comma == std::string::npos ? rest.size() : comma;
      size_t lead = 0;
      std::string_view part = trim(std::string_view(rest).substr(i, stop - i), lead);
      size_t part_offset = rest_offset + i + lead;
      if (part.empty()) {
        err.offset = part_offset;
        err.message = "empty modifier after ',' in " + o.name;
        return false;
      }
      RawOption mod;
      size_t sp = part.find_first_of(" \t");
      mod.name = std::string(part.substr(0, sp));
      mod.name_offset = part_offset;
      mod.value_offset = part_offset;
      if (sp != std::string_view::npos) {
        size_t vlead = 0;
        std::string_view arg = trim(part.substr(sp), vlead);
        mod.value = std::string(arg);
        mod.has_value = true;
        mod.value_offset = part_offset + sp + vlead;
      }
      out.push_back(std::move(mod));
      if (comma == std::string::npos) break;
      i = comma + 1;
    }
    merge_fast_pattern_chop(out, head_index);
  }
  options.swap(out);
  return true;
}

}  // namespace nsm4::rules
