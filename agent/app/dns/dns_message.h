#pragma once
// DNS wire format (RFC 1035) parsed into plain structs: header, questions and
// the three record sections, with name compression followed the way
// Suricata's parser does (bounded label count and name length, self-pointing
// loops flagged). Used by the probe, the UDP/TCP parsers and the EVE writer.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nsm4::app::dns {

inline constexpr size_t kHeaderSize = 12;

// Record types with rdata nsm4 decodes (the others keep their raw bytes).
enum RrType : uint16_t {
  kTypeA = 1,
  kTypeNs = 2,
  kTypeCname = 5,
  kTypeSoa = 6,
  kTypeNull = 10,
  kTypePtr = 12,
  kTypeMx = 15,
  kTypeTxt = 16,
  kTypeAaaa = 28,
  kTypeSrv = 33,
  kTypeOpt = 41,
  kTypeSshfp = 44,
};

// Header flag bits.
inline constexpr uint16_t kFlagQr = 0x8000;
inline constexpr uint16_t kFlagAa = 0x0400;
inline constexpr uint16_t kFlagTc = 0x0200;
inline constexpr uint16_t kFlagRd = 0x0100;
inline constexpr uint16_t kFlagRa = 0x0080;
inline constexpr uint16_t kFlagZ = 0x0040;

struct Header {
  uint16_t id = 0;
  uint16_t flags = 0;
  uint16_t questions = 0;
  uint16_t answers = 0;
  uint16_t authorities = 0;
  uint16_t additionals = 0;
  uint8_t opcode() const { return static_cast<uint8_t>((flags >> 11) & 0xf); }
  uint8_t rcode() const { return static_cast<uint8_t>(flags & 0xf); }
};

// What went wrong while reading names (any name of the message).
enum NameFlag : uint8_t {
  kNameInfiniteLoop = 1,  // a pointer pointing at itself
  kNameTruncated = 2,     // longer than max_name_len, or cut at the label limit
  kNameLabelLimit = 4,    // more than max_labels labels / pointers
};

struct Name {
  std::string value;  // dotted, no trailing dot; raw label bytes
  bool truncated = false;
};

struct Question {
  Name name;
  uint16_t rrtype = 0;
  uint16_t rrclass = 0;
};

struct Soa {
  Name mname, rname;
  uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};

struct Srv {
  uint16_t priority = 0, weight = 0, port = 0;
  Name target;
};

struct Sshfp {
  uint8_t algo = 0, fp_type = 0;
  std::string fingerprint;  // raw bytes
};

struct OptOption {
  uint16_t code = 0;
  std::string data;  // raw bytes
};

// How a record's rdata was decoded; says which Record fields are set.
enum class RdataKind : uint8_t {
  kAddress,  // A, AAAA: bytes (4 or 16 bytes when well formed)
  kName,     // CNAME, NS, PTR, MX: target
  kTxt,      // txt
  kNull,     // NULL: bytes
  kSoa,
  kSrv,
  kSshfp,
  kOpt,      // opt
  kUnknown,  // bytes
};

struct Record {
  Name name;
  uint16_t rrtype = 0;
  uint16_t rrclass = 0;
  uint32_t ttl = 0;
  RdataKind kind = RdataKind::kUnknown;
  std::string bytes;
  Name target;
  std::vector<std::string> txt;
  Soa soa;
  Srv srv;
  Sshfp sshfp;
  std::vector<OptOption> opt;
};

struct Message {
  Header header;
  std::vector<Question> questions;
  std::vector<Record> answers;
  std::vector<Record> authorities;
  std::vector<Record> additionals;
  // The authority (additional) section did not parse: kept empty, the rest of
  // the message stands (as Suricata).
  bool invalid_authorities = false;
  bool invalid_additionals = false;
  uint8_t name_flags = 0;  // NameFlag bits seen in any name
  bool is_response() const { return (header.flags & kFlagQr) != 0; }
};

struct ParseLimits {
  uint32_t max_name_len = 1025;  // longer names are cut (flagged kNameTruncated)
  uint32_t max_labels = 255;     // labels + pointers followed per name
};

enum class ParseStatus : uint8_t {
  kOk,
  kBadHeader,  // shorter than a header, or counts implausible for the size
  kMalformed,  // the questions or answers did not parse
};

// The 12-byte header; false when `data` is shorter.
bool parse_header(std::span<const uint8_t> data, Header& out);
// Suricata's plausibility test of a header for a message of `len` bytes:
// records need 2 bytes each at least, a record-less message is only a header,
// and a request has a question.
bool header_plausible(const Header& h, size_t len);
// Parses a whole message. `out` holds what was read even when not kOk.
ParseStatus parse_message(std::span<const uint8_t> data, Message& out,
                          const ParseLimits& limits = {});

}  // namespace nsm4::app::dns
