#pragma once
// Buffer inspection with Suricata's semantics (detect-engine-content-
// inspection): the keywords of one buffer run in rule order; a content that
// matched and whose followers fail is searched again further on when the
// followers depend on where it matched (backtracking); absolute failures stop
// the search early.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "detect/buffer.h"
#include "detect/transforms/transform.h"

namespace nsm4::detect {

class PcreProgram;  // detect/pcre.h (keeps PCRE2's header out of here)
struct PcreScratch;

inline constexpr int kMaxByteVars = 16;

// A number written in the rule, or a byte_extract / byte_math variable.
struct IntOrVar {
  int64_t value = 0;
  int8_t var = -1;  // index into InspectState::vars, or -1
  bool operator==(const IntOrVar&) const = default;
};

enum class OpKind : uint8_t {
  kContent,
  kPcre,
  kIsDataAt,
  kBsize,
  kByteTest,
  kByteJump,
  kByteExtract,
  kByteMath
};

// One keyword of a buffer's list. Identical ops of different rules are built
// once and shared (see Interner), so ops are immutable after the build.
struct Op {
  explicit Op(OpKind k) : kind(k) {}
  virtual ~Op() = default;
  // A canonical text of the typed option: equal keys mean equal ops.
  virtual std::string key() const = 0;
  OpKind kind;
  bool relative = false;        // depends on the previous match position
  bool backtrack_next = false;  // a later op depends on this one's position
};

struct ContentOp : Op {
  ContentOp() : Op(OpKind::kContent) {}
  std::string bytes;
  std::string lower;  // bytes lower-cased, for nocase
  bool negated = false;
  bool nocase = false;
  bool has_offset = false, has_depth = false, has_distance = false, has_within = false;
  IntOrVar offset, depth, distance, within;
  bool startswith = false, endswith = false;
  bool fast_pattern = false;  // fast_pattern written on it
  bool fast_pattern_only = false;
  int fp_offset = -1, fp_len = -1;  // fast_pattern:offset,len
  std::string key() const override;
};

struct PcreOp : Op {
  PcreOp() : Op(OpKind::kPcre) {}
  std::shared_ptr<const PcreProgram> program;
  std::string text;  // as written
  bool negated = false;
  bool anchored_start = false;  // A (also handled by PCRE2_ANCHORED)
  std::string key() const override {
    return "pcre:" + text + (relative ? ",r" : "") + (backtrack_next ? ",b" : "");
  }
};

struct IsDataAtOp : Op {
  IsDataAtOp() : Op(OpKind::kIsDataAt) {}
  IntOrVar at;
  bool negated = false;
  std::string key() const override;
};

// Unsigned comparisons shared by bsize, dsize, ttl, window ...: =, <, >,
// <=, >=, !=, and lo<>hi (exclusive range).
struct UintCmp {
  enum Op : uint8_t { kEq, kLt, kGt, kLe, kGe, kNe, kRange, kNotRange } op = kEq;
  uint64_t a = 0, b = 0;
  bool matches(uint64_t v) const {
    switch (op) {
      case kEq:
        return v == a;
      case kLt:
        return v < a;
      case kGt:
        return v > a;
      case kLe:
        return v <= a;
      case kGe:
        return v >= a;
      case kNe:
        return v != a;
      case kRange:
        return v > a && v < b;
      case kNotRange:
        return !(v > a && v < b);
    }
    return false;
  }
  std::string key() const;
  bool operator==(const UintCmp&) const = default;
};

struct BsizeOp : Op {
  BsizeOp() : Op(OpKind::kBsize) {}
  UintCmp cmp;
  std::string key() const override { return "bsize:" + cmp.key(); }
};

enum class NumBase : uint8_t { kDec = 10, kHex = 16, kOct = 8 };

// The byte-reading part shared by byte_test, byte_jump, byte_extract, byte_math.
struct ByteRead {
  IntOrVar nbytes;
  IntOrVar offset;
  bool string = false;
  NumBase base = NumBase::kDec;
  bool little = false;
  bool dce = false;
  uint32_t bitmask = 0;  // 0 = none
  std::string key() const;
  // Reads the value at `pos`; false when out of the buffer or not a number.
  bool read(const uint8_t* buf, uint32_t len, int64_t pos, int nbytes_v, uint64_t& out) const;
};

struct ByteTestOp : Op {
  ByteTestOp() : Op(OpKind::kByteTest) {}
  ByteRead rd;
  char cmp = '=';  // < > = ! & ^ ; 'l' <=, 'g' >=
  bool negated = false;
  IntOrVar value;
  std::string key() const override;
};

struct ByteJumpOp : Op {
  ByteJumpOp() : Op(OpKind::kByteJump) {}
  ByteRead rd;
  uint32_t multiplier = 1;
  bool align = false;
  bool from_beginning = false;
  bool from_end = false;
  int64_t post_offset = 0;
  std::string key() const override;
};

struct ByteExtractOp : Op {
  ByteExtractOp() : Op(OpKind::kByteExtract) {}
  ByteRead rd;
  uint32_t multiplier = 1;
  bool align = false;
  int8_t var = 0;
  std::string key() const override;
};

struct ByteMathOp : Op {
  ByteMathOp() : Op(OpKind::kByteMath) {}
  ByteRead rd;
  char oper = '+';  // + - * / < > (shifts as < >)
  IntOrVar rvalue;
  int8_t var = 0;
  std::string key() const override;
};

// One buffer's list of a rule.
struct BufferProgram {
  BufferId buffer = BufferId::kPktData;
  std::vector<std::shared_ptr<const Transform>> transforms;  // applied in order first
  std::vector<std::shared_ptr<const Op>> ops;
};

// Per-worker state of one inspection (no allocation while matching).
struct InspectState {
  std::array<uint64_t, kMaxByteVars> vars{};
  uint32_t buffer_offset = 0;
  uint32_t recursion = 0;
  PcreScratch* pcre = nullptr;
};

// The value of a number-or-variable during an inspection.
int64_t resolve(const IntOrVar& v, const InspectState& st);

// Keyword matchers, each in its keyword's file (detect/keywords/). The byte
// keywords move st.buffer_offset as Suricata's do; a false result is a plain
// "no match here".
bool match_byte_test(const ByteTestOp& op, const uint8_t* buf, uint32_t len, InspectState& st);
bool match_byte_jump(const ByteJumpOp& op, const uint8_t* buf, uint32_t len, InspectState& st);
bool match_byte_extract(const ByteExtractOp& op, const uint8_t* buf, uint32_t len,
                        InspectState& st);
bool match_byte_math(const ByteMathOp& op, const uint8_t* buf, uint32_t len, InspectState& st);
// PCRE2 search from `from`; on success the match's start and end offsets.
bool pcre_search(const PcreProgram& prog, const uint8_t* buf, uint32_t len, uint32_t from,
                 InspectState& st, uint32_t& mstart, uint32_t& mend);

// True when the buffer satisfies the whole list.
bool inspect_buffer(const BufferProgram& prog, const uint8_t* buf, uint32_t len, InspectState& st);

}  // namespace nsm4::detect
