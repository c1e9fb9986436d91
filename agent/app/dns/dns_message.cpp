#include "app/dns/dns_message.h"

namespace nsm4::app::dns {
namespace {

uint16_t be16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}
uint32_t be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}

// Reads the names and records of one message. Positions are raw pointers
// into the message; `end` bounds the region being read (the message, or a
// record's rdata).
class Reader {
 public:
  Reader(std::span<const uint8_t> msg, const ParseLimits& limits, uint8_t& name_flags)
      : msg_(msg), limits_(limits), name_flags_(name_flags) {}

  // A name starting at `pos`; `pos` moves past it (past the first pointer
  // when compression was used).
  bool name(const uint8_t*& pos, const uint8_t* end, Name& out) {
    const uint8_t* p = pos;
    const uint8_t* pivot = nullptr;
    uint32_t count = 0;
    uint8_t flags = 0;
    std::string& value = out.value;
    value.clear();
    for (;;) {
      if (p >= end) break;
      const uint8_t len = *p;
      if (len == 0) {
        ++p;
        break;
      }
      if ((len & 0xc0) == 0) {
        if (end - p < 1 + len) return false;
        if ((flags & kNameTruncated) == 0) {
          if (!value.empty()) value.push_back('.');
          value.append(reinterpret_cast<const char*>(p + 1), len);
        }
        p += 1 + len;
      } else if ((len & 0xc0) == 0xc0) {
        if (end - p < 2) return false;
        const size_t offset = be16(p) & 0x3fff;
        if (offset > msg_.size()) return false;
        const uint8_t* target = msg_.data() + offset;
        if (target == p) {
          flags |= kNameInfiniteLoop;
          if (pivot == nullptr) return false;
          break;
        }
        if (pivot == nullptr) pivot = p + 2;
        p = target;
        end = msg_.data() + msg_.size();
      } else {
        return false;  // 0x40 / 0x80 label types: not in use
      }
      if (++count > limits_.max_labels) {
        flags |= kNameLabelLimit;
        // Without a pointer the end of the name is unknown: give up.
        if (pivot == nullptr) return false;
        flags |= kNameTruncated;
        break;
      }
      if (value.size() > limits_.max_name_len) {
        value.resize(limits_.max_name_len);
        flags |= kNameTruncated;
        if (pivot != nullptr) break;
      }
    }
    out.truncated = (flags & kNameTruncated) != 0;
    name_flags_ |= flags;
    pos = pivot != nullptr ? pivot : p;
    return true;
  }

  bool question(const uint8_t*& pos, const uint8_t* end, Question& q) {
    if (!name(pos, end, q.name)) return false;
    if (end - pos < 4) return false;
    q.rrtype = be16(pos);
    q.rrclass = be16(pos + 2);
    pos += 4;
    return true;
  }

  bool record(const uint8_t*& pos, const uint8_t* end, Record& r) {
    if (!name(pos, end, r.name)) return false;
    if (end - pos < 10) return false;
    r.rrtype = be16(pos);
    r.rrclass = be16(pos + 2);
    r.ttl = be32(pos + 4);
    const uint16_t rdlen = be16(pos + 8);
    pos += 10;
    if (end - pos < rdlen) return false;
    const uint8_t* rd = pos;
    pos += rdlen;
    return rdata(rd, rd + rdlen, r);
  }

  bool section(const uint8_t*& pos, const uint8_t* end, uint16_t count, std::vector<Record>& out) {
    for (uint16_t i = 0; i < count; ++i) {
      Record r;
      if (!record(pos, end, r)) return false;
      out.push_back(std::move(r));
    }
    return true;
  }

 private:
  static void raw(const uint8_t* p, const uint8_t* end, std::string& out) {
    out.assign(reinterpret_cast<const char*>(p), static_cast<size_t>(end - p));
  }

  bool rdata(const uint8_t* p, const uint8_t* end, Record& r) {
    switch (r.rrtype) {
      case kTypeA:
      case kTypeAaaa:
        r.kind = RdataKind::kAddress;
        raw(p, end, r.bytes);
        return true;
      case kTypeNull:
        r.kind = RdataKind::kNull;
        raw(p, end, r.bytes);
        return true;
      case kTypeOpt:
        r.kind = RdataKind::kOpt;
        return opt(p, end, r);
      default:
        break;
    }
    if (p == end) {
      // Empty rdata (a deleting UPDATE, a placeholder): nothing to decode.
      r.kind = RdataKind::kUnknown;
      return true;
    }
    switch (r.rrtype) {
      case kTypeCname:
      case kTypeNs:
      case kTypePtr:
        r.kind = RdataKind::kName;
        return name(p, end, r.target);
      case kTypeMx:
        r.kind = RdataKind::kName;
        if (end - p < 2) return false;  // the preference is not logged
        p += 2;
        return name(p, end, r.target);
      case kTypeSoa:
        r.kind = RdataKind::kSoa;
        if (!name(p, end, r.soa.mname) || !name(p, end, r.soa.rname)) return false;
        if (end - p < 20) return false;
        r.soa.serial = be32(p);
        r.soa.refresh = be32(p + 4);
        r.soa.retry = be32(p + 8);
        r.soa.expire = be32(p + 12);
        r.soa.minimum = be32(p + 16);
        return true;
      case kTypeSrv:
        r.kind = RdataKind::kSrv;
        if (end - p < 6) return false;
        r.srv.priority = be16(p);
        r.srv.weight = be16(p + 2);
        r.srv.port = be16(p + 4);
        p += 6;
        return name(p, end, r.srv.target);
      case kTypeSshfp:
        r.kind = RdataKind::kSshfp;
        if (end - p < 2) return false;
        r.sshfp.algo = p[0];
        r.sshfp.fp_type = p[1];
        raw(p + 2, end, r.sshfp.fingerprint);
        return true;
      case kTypeTxt:
        r.kind = RdataKind::kTxt;
        // Character-strings until the rdata ends; a string overrunning it
        // ends the list (an error only when it is the first).
        while (p < end && end - p >= 1 + *p) {
          r.txt.emplace_back(reinterpret_cast<const char*>(p + 1), *p);
          p += 1 + *p;
        }
        return !r.txt.empty();
      default:
        r.kind = RdataKind::kUnknown;
        raw(p, end, r.bytes);
        return true;
    }
  }

  static bool opt(const uint8_t* p, const uint8_t* end, Record& r) {
    while (p < end) {
      if (end - p < 4) return false;
      OptOption o;
      o.code = be16(p);
      const uint16_t len = be16(p + 2);
      p += 4;
      if (end - p < len) return false;
      raw(p, p + len, o.data);
      p += len;
      r.opt.push_back(std::move(o));
    }
    return true;
  }

  std::span<const uint8_t> msg_;
  const ParseLimits& limits_;
  uint8_t& name_flags_;
};

}  // namespace

bool parse_header(std::span<const uint8_t> data, Header& out) {
  if (data.size() < kHeaderSize) return false;
  const uint8_t* p = data.data();
  out.id = be16(p);
  out.flags = be16(p + 2);
  out.questions = be16(p + 4);
  out.answers = be16(p + 6);
  out.authorities = be16(p + 8);
  out.additionals = be16(p + 10);
  return true;
}

bool header_plausible(const Header& h, size_t len) {
  const size_t records =
      static_cast<size_t>(h.questions) + h.answers + h.authorities + h.additionals;
  if (2 * records > len) return false;
  if (records == 0 && len > kHeaderSize) return false;
  const bool request = (h.flags & kFlagQr) == 0;
  return !(request && h.questions == 0);
}

ParseStatus parse_message(std::span<const uint8_t> data, Message& out, const ParseLimits& limits) {
  out = Message{};
  if (!parse_header(data, out.header) || !header_plausible(out.header, data.size())) {
    return ParseStatus::kBadHeader;
  }
  Reader reader(data, limits, out.name_flags);
  const uint8_t* pos = data.data() + kHeaderSize;
  const uint8_t* end = data.data() + data.size();
  for (uint16_t i = 0; i < out.header.questions; ++i) {
    Question q;
    if (!reader.question(pos, end, q)) return ParseStatus::kMalformed;
    out.questions.push_back(std::move(q));
  }
  if (!reader.section(pos, end, out.header.answers, out.answers)) return ParseStatus::kMalformed;
  if (!reader.section(pos, end, out.header.authorities, out.authorities)) {
    out.authorities.clear();
    out.invalid_authorities = true;
    return ParseStatus::kOk;
  }
  if (!reader.section(pos, end, out.header.additionals, out.additionals)) {
    out.additionals.clear();
    out.invalid_additionals = true;
  }
  return ParseStatus::kOk;
}

}  // namespace nsm4::app::dns
