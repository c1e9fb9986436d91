// byte_jump: read N bytes and move the match position by that much
// (nbytes, offset [, relative, multiplier M, big|little, string, hex|dec|oct,
// align, from_beginning, from_end, post_offset P, dce, bitmask M]).
#include <cctype>
#include <cstdint>

#include "detect/byte_read.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

std::string ByteJumpOp::key() const {
  return "byte_jump:" + rd.key() + ",x" + std::to_string(multiplier) + (align ? ",a" : "") +
         (from_beginning ? ",b" : "") + (from_end ? ",e" : "") + ",p" +
         std::to_string(post_offset) + (relative ? ",r" : "");
}

bool match_byte_jump(const ByteJumpOp& op, const uint8_t* buf, uint32_t len, InspectState& st) {
  const int64_t start = resolve(op.rd.offset, st) + (op.relative ? st.buffer_offset : 0);
  const int n = static_cast<int>(resolve(op.rd.nbytes, st));
  uint64_t v = 0;
  if (!op.rd.read(buf, len, start, n, v)) return false;
  // No jump of 4 GiB or more can land in a buffer (and the sums below must not overflow).
  if (v >= (uint64_t{1} << 32)) return false;
  int64_t val = static_cast<int64_t>(v) * op.multiplier;
  if (op.align && val % 4) val += 4 - val % 4;
  val += op.post_offset;
  int64_t to;
  if (op.from_beginning) {
    to = val;
  } else if (op.from_end) {
    to = static_cast<int64_t>(len) + val;
  } else {
    to = start + n + val;
  }
  if (to < 0) to = 0;
  if (to > static_cast<int64_t>(len)) return false;
  st.buffer_offset = static_cast<uint32_t>(to);
  return true;
}

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto op = std::make_shared<ByteJumpOp>();
  auto parts = split(o.value, ',');
  if (parts.size() < 2) {
    err = "expected nbytes, offset [, flags]";
    return false;
  }
  if (!rb.int_or_var(parts[0], op->rd.nbytes, 0, 23, err)) return false;
  if (!rb.int_or_var(parts[1], op->rd.offset, -65535, 65535, err)) return false;
  for (size_t i = 2; i < parts.size(); ++i) {
    std::string_view w = parts[i];
    bool consumed = false;
    if (!parse_byte_common(w, rb, op->rd, op->relative, consumed, err)) return false;
    if (consumed) continue;
    int64_t n = 0;
    if (w == "align") {
      op->align = true;
    } else if (w == "from_beginning") {
      op->from_beginning = true;
    } else if (w == "from_end") {
      op->from_end = true;
    } else if (w.starts_with("multiplier") && parse_int(w.substr(10), n) && n > 0 && n <= 65535) {
      op->multiplier = static_cast<uint32_t>(n);
    } else if (w.starts_with("post_offset") && parse_int(w.substr(11), n)) {
      op->post_offset = n;
    } else {
      err = "unknown byte_jump option '" + std::string(w) + "'";
      return false;
    }
  }
  if (op->from_beginning && op->from_end) {
    err = "from_beginning and from_end cannot be combined";
    return false;
  }
  if (!op->rd.string && op->rd.nbytes.var < 0 && op->rd.nbytes.value > 8) {
    err = "nbytes above 8 needs 'string'";
    return false;
  }
  rb.add_op(std::move(op));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_byte_jump{
    "byte_jump", "read N bytes and move the inspection position by their value", 0, parse};

}  // namespace nsm4::detect
