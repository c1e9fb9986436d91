#include "app/dns/dns_eve.h"

#include <array>
#include <cstdio>
#include <utility>
#include <vector>

namespace nsm4::app::dns {
namespace {

struct TypeName {
  uint16_t type;
  const char* name;
};

// Suricata's DNSRecordType names.
constexpr TypeName kTypeNames[] = {
    {1, "A"},      {2, "NS"},        {3, "MD"},          {4, "MF"},     {5, "CNAME"},
    {6, "SOA"},    {7, "MB"},        {8, "MG"},          {9, "MR"},     {10, "NULL"},
    {11, "WKS"},   {12, "PTR"},      {13, "HINFO"},      {14, "MINFO"}, {15, "MX"},
    {16, "TXT"},   {17, "RP"},       {18, "AFSDB"},      {19, "X25"},   {20, "ISDN"},
    {21, "RT"},    {22, "NSAP"},     {23, "NSAPPTR"},    {24, "SIG"},   {25, "KEY"},
    {26, "PX"},    {27, "GPOS"},     {28, "AAAA"},       {29, "LOC"},   {30, "NXT"},
    {33, "SRV"},   {34, "ATMA"},     {35, "NAPTR"},      {36, "KX"},    {37, "CERT"},
    {38, "A6"},    {39, "DNAME"},    {41, "OPT"},        {42, "APL"},   {43, "DS"},
    {44, "SSHFP"}, {45, "IPSECKEY"}, {46, "RRSIG"},      {47, "NSEC"},  {48, "DNSKEY"},
    {49, "DHCID"}, {50, "NSEC3"},    {51, "NSEC3PARAM"}, {52, "TLSA"},  {55, "HIP"},
    {59, "CDS"},   {60, "CDNSKEY"},  {65, "HTTPS"},      {99, "SPF"},   {249, "TKEY"},
    {250, "TSIG"}, {254, "MAILA"},   {255, "ANY"},       {256, "URI"},
};

constexpr std::array<const char*, 23> kRcodeNames = {
    "NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",         "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE",        nullptr,
    nullptr,    nullptr,   nullptr,    nullptr,    "BADVERS/BADSIG", "BADKEY",
    "BADTIME",  "BADMODE", "BADNAME",  "BADALG",   "BADTRUNC"};

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

std::string hex(std::string_view bytes, const char* sep) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out.append(sep);
    const auto c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string address_text(std::string_view a) {
  char buf[48];
  const auto* b = reinterpret_cast<const unsigned char*>(a.data());
  if (a.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
  }
  if (a.size() == 16) {
    std::string out;
    for (size_t i = 0; i < 16; i += 2) {
      if (i > 0) out.push_back(':');
      out += hex(a.substr(i, 2), "");
    }
    return out;
  }
  return {};
}

void kv_text(JsonWriter& w, std::string_view key, std::string_view bytes) {
  w.kv(key, std::string_view(bytes_text(bytes)));
}

void write_flags(JsonWriter& w, uint16_t flags) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%x", flags);
  w.kv("flags", std::string_view(buf));
  if (flags & kFlagQr) w.kv("qr", true);
  if (flags & kFlagAa) w.kv("aa", true);
  if (flags & kFlagTc) w.kv("tc", true);
  if (flags & kFlagRd) w.kv("rd", true);
  if (flags & kFlagRa) w.kv("ra", true);
  if (flags & kFlagZ) w.kv("z", true);
}

void write_soa(JsonWriter& w, const Soa& soa) {
  w.begin_object();
  kv_text(w, "mname", soa.mname.value);
  if (soa.mname.truncated) w.kv("mname_truncated", true);
  kv_text(w, "rname", soa.rname.value);
  if (soa.rname.truncated) w.kv("rname_truncated", true);
  w.kv("serial", uint64_t{soa.serial});
  w.kv("refresh", uint64_t{soa.refresh});
  w.kv("retry", uint64_t{soa.retry});
  w.kv("expire", uint64_t{soa.expire});
  w.kv("minimum", uint64_t{soa.minimum});
  w.end_object();
}

void write_sshfp(JsonWriter& w, const Sshfp& s) {
  w.begin_object();
  w.kv("fingerprint", std::string_view(hex(s.fingerprint, ":")));
  w.kv("algo", uint64_t{s.algo});
  w.kv("type", uint64_t{s.fp_type});
  w.end_object();
}

void write_srv(JsonWriter& w, const Srv& s) {
  w.begin_object();
  w.kv("priority", uint64_t{s.priority});
  w.kv("weight", uint64_t{s.weight});
  w.kv("port", uint64_t{s.port});
  kv_text(w, "name", s.target.value);
  w.end_object();
}

// One entry of answers/authorities/additionals; `txt_index` picks the string
// of a TXT record (each string is its own entry, as Suricata).
void write_record(JsonWriter& w, const Record& r, size_t txt_index) {
  w.begin_object();
  kv_text(w, "rrname", r.name.value);
  if (r.name.truncated) w.kv("rrname_truncated", true);
  w.kv("rrtype", std::string_view(rrtype_name(r.rrtype)));
  w.kv("ttl", uint64_t{r.ttl});
  switch (r.kind) {
    case RdataKind::kAddress:
      w.kv("rdata", std::string_view(address_text(r.bytes)));
      break;
    case RdataKind::kName:
      kv_text(w, "rdata", r.target.value);
      if (r.target.truncated) w.kv("rdata_truncated", true);
      break;
    case RdataKind::kTxt:
      if (txt_index < r.txt.size()) kv_text(w, "rdata", r.txt[txt_index]);
      break;
    case RdataKind::kNull:
      kv_text(w, "rdata", r.bytes);
      break;
    case RdataKind::kSoa:
      w.key("soa");
      write_soa(w, r.soa);
      break;
    case RdataKind::kSshfp:
      w.key("sshfp");
      write_sshfp(w, r.sshfp);
      break;
    case RdataKind::kSrv:
      w.key("srv");
      write_srv(w, r.srv);
      break;
    case RdataKind::kOpt:
      w.key("opt").begin_array();
      for (const OptOption& o : r.opt) {
        w.begin_object();
        w.kv("code", uint64_t{o.code});
        w.kv("data", std::string_view(hex(o.data, "")));
        w.end_object();
      }
      w.end_array();
      break;
    case RdataKind::kUnknown:
      break;
  }
  w.end_object();
}

// Writes the entries of `records` (TXT strings expanded) into an open array,
// at most `max` records.
void write_records(JsonWriter& w, const std::vector<Record>& records, uint32_t max, uint64_t& cut,
                   bool skip_empty_opt) {
  uint32_t n = 0;
  for (const Record& r : records) {
    if (skip_empty_opt && r.kind == RdataKind::kOpt && r.opt.empty()) continue;
    if (n++ >= max) {
      ++cut;
      continue;
    }
    if (r.kind == RdataKind::kTxt) {
      for (size_t i = 0; i < r.txt.size(); ++i) write_record(w, r, i);
    } else {
      write_record(w, r, 0);
    }
  }
}

bool has_loggable(const std::vector<Record>& records, bool skip_empty_opt) {
  for (const Record& r : records)
    if (!(skip_empty_opt && r.kind == RdataKind::kOpt && r.opt.empty())) return true;
  return false;
}

// The "grouped" object: rdata values by rrtype, in first-seen order.
void write_grouped(JsonWriter& w, const std::vector<Record>& answers, uint32_t max) {
  std::vector<std::pair<std::string, std::string>> groups;  // type, array elements
  uint32_t n = 0;
  for (const Record& r : answers) {
    if (n++ >= max) break;
    std::string elems;
    JsonWriter ew(elems);
    switch (r.kind) {
      case RdataKind::kAddress:
        ew.value(std::string_view(address_text(r.bytes)));
        break;
      case RdataKind::kName:
        ew.value(std::string_view(bytes_text(r.target.value)));
        break;
      case RdataKind::kTxt:
        for (const std::string& t : r.txt) ew.value(std::string_view(bytes_text(t)));
        break;
      case RdataKind::kNull:
        ew.value(std::string_view(bytes_text(r.bytes)));
        break;
      case RdataKind::kSoa:
        write_soa(ew, r.soa);
        break;
      case RdataKind::kSshfp:
        write_sshfp(ew, r.sshfp);
        break;
      case RdataKind::kSrv:
        write_srv(ew, r.srv);
        break;
      case RdataKind::kOpt:
      case RdataKind::kUnknown:
        continue;
    }
    if (elems.empty()) continue;
    std::string type = rrtype_name(r.rrtype);
    auto it = groups.begin();
    while (it != groups.end() && it->first != type) ++it;
    if (it == groups.end()) {
      groups.emplace_back(std::move(type), std::move(elems));
    } else {
      it->second.push_back(',');
      it->second += elems;
    }
  }
  w.key("grouped").begin_object();
  for (const auto& [type, elems] : groups) {
    w.key(type).raw("[" + elems + "]");
  }
  w.end_object();
}

void write_answers(JsonWriter& w, const Message& m, const EveOptions& opt, uint64_t& cut) {
  if (m.answers.empty()) return;
  if (opt.detailed) {
    w.key("answers").begin_array();
    write_records(w, m.answers, opt.max_records, cut, false);
    w.end_array();
  } else if (m.answers.size() > opt.max_records) {
    cut += m.answers.size() - opt.max_records;
  }
  if (opt.grouped) write_grouped(w, m.answers, opt.max_records);
}

void write_authorities_additionals(JsonWriter& w, const Message& m, const EveOptions& opt,
                                   uint64_t& cut) {
  if (!m.authorities.empty()) {
    w.key("authorities").begin_array();
    write_records(w, m.authorities, opt.max_records, cut, false);
    w.end_array();
  }
  if (has_loggable(m.additionals, true)) {
    w.key("additionals").begin_array();
    write_records(w, m.additionals, opt.max_records, cut, true);
    w.end_array();
  }
}

}  // namespace

std::string rrtype_name(uint16_t rrtype) {
  for (const TypeName& t : kTypeNames)
    if (t.type == rrtype) return t.name;
  return std::to_string(rrtype);
}

std::string rcode_name(uint8_t rcode) {
  if (rcode < kRcodeNames.size() && kRcodeNames[rcode] != nullptr) return kRcodeNames[rcode];
  return std::to_string(rcode);
}

std::string bytes_text(std::string_view bytes) {
  if (valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  char buf[8];
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out.append(buf);
    }
  }
  return out;
}

void write_v3(JsonWriter& w, const Message& m, uint64_t tx_id, const EveOptions& opt,
              uint64_t& records_cut) {
  w.begin_object();
  w.kv("version", 3);
  w.kv("type", m.is_response() ? "response" : "request");
  w.kv("tx_id", tx_id);
  w.kv("id", uint64_t{m.header.id});
  write_flags(w, m.header.flags);
  w.kv("opcode", uint64_t{m.header.opcode()});
  w.kv("rcode", std::string_view(rcode_name(m.header.rcode())));
  if (!m.questions.empty()) {
    w.key("queries").begin_array();
    for (const Question& q : m.questions) {
      w.begin_object();
      kv_text(w, "rrname", q.name.value);
      w.kv("rrtype", std::string_view(rrtype_name(q.rrtype)));
      if (q.name.truncated) w.kv("rrname_truncated", true);
      w.end_object();
    }
    w.end_array();
  }
  write_answers(w, m, opt, records_cut);
  write_authorities_additionals(w, m, opt, records_cut);
  w.end_object();
}

void write_v2_query(JsonWriter& w, const Message& m, size_t index, uint64_t tx_id) {
  const Question& q = m.questions.at(index);
  w.begin_object();
  w.kv("type", "query");
  w.kv("id", uint64_t{m.header.id});
  kv_text(w, "rrname", q.name.value);
  if (q.name.truncated) w.kv("rrname_truncated", true);
  w.kv("rrtype", std::string_view(rrtype_name(q.rrtype)));
  w.kv("tx_id", tx_id);
  if (m.header.flags & kFlagZ) w.kv("z", true);
  w.kv("opcode", uint64_t{m.header.opcode()});
  w.end_object();
}

void write_v2_answer(JsonWriter& w, const Message& m, const EveOptions& opt,
                     uint64_t& records_cut) {
  w.begin_object();
  w.kv("version", 2);
  w.kv("type", "answer");
  w.kv("id", uint64_t{m.header.id});
  write_flags(w, m.header.flags);
  w.kv("opcode", uint64_t{m.header.opcode()});
  if (!m.questions.empty()) {
    const Question& q = m.questions.front();
    kv_text(w, "rrname", q.name.value);
    if (q.name.truncated) w.kv("rrname_truncated", true);
    w.kv("rrtype", std::string_view(rrtype_name(q.rrtype)));
  }
  w.kv("rcode", std::string_view(rcode_name(m.header.rcode())));
  write_answers(w, m, opt, records_cut);
  write_authorities_additionals(w, m, opt, records_cut);
  w.end_object();
}

}  // namespace nsm4::app::dns
