// byte_test: read N bytes and compare them
// (nbytes, [!]op, value, offset [, relative, big|little, string, hex|dec|oct, dce, bitmask M]).
#include <cctype>
#include <cstdint>

#include "detect/byte_read.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

std::string ByteTestOp::key() const {
  return "byte_test:" + rd.key() + ',' + cmp + (negated ? "!" : "") + std::to_string(value.value) +
         '/' + std::to_string(value.var) + (relative ? ",r" : "");
}

bool match_byte_test(const ByteTestOp& op, const uint8_t* buf, uint32_t len, InspectState& st) {
  int64_t pos = resolve(op.rd.offset, st) + (op.relative ? st.buffer_offset : 0);
  uint64_t v = 0;
  if (!op.rd.read(buf, len, pos, static_cast<int>(resolve(op.rd.nbytes, st)), v)) return false;
  const uint64_t want = op.value.var >= 0 ? st.vars[static_cast<uint8_t>(op.value.var)]
                                          : static_cast<uint64_t>(op.value.value);
  bool m = false;
  switch (op.cmp) {
    case '<':
      m = v < want;
      break;
    case '>':
      m = v > want;
      break;
    case '=':
      m = v == want;
      break;
    case 'l':
      m = v <= want;
      break;
    case 'g':
      m = v >= want;
      break;
    case '&':
      m = (v & want) != 0;
      break;
    case '^':
      m = (v ^ want) != 0;
      break;
  }
  return m != op.negated;
}

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto op = std::make_shared<ByteTestOp>();
  auto parts = split(o.value, ',');
  if (parts.size() < 4) {
    err = "expected nbytes, operator, value, offset [, flags]";
    return false;
  }
  if (!rb.int_or_var(parts[0], op->rd.nbytes, 1, 23, err)) return false;
  std::string_view c = parts[1];
  if (!c.empty() && c[0] == '!') {
    op->negated = true;
    c = trim(c.substr(1));
  }
  if (c == "<" || c == ">" || c == "=" || c == "&" || c == "^") {
    op->cmp = c[0];
  } else if (c == "<=") {
    op->cmp = 'l';
  } else if (c == ">=") {
    op->cmp = 'g';
  } else if (c.empty()) {
    op->cmp = '=';  // "!," alone means not equal
  } else {
    err = "unknown operator '" + std::string(c) + "' (use < > = <= >= & ^, ! negates)";
    return false;
  }
  if (!rb.int_or_var(parts[2], op->value, 0, INT64_MAX, err)) {
    uint64_t u = 0;
    if (!parse_uint(parts[2], u)) return false;
    op->value = {static_cast<int64_t>(u), -1};
    err.clear();
  }
  if (!rb.int_or_var(parts[3], op->rd.offset, -65535, 65535, err)) return false;
  for (size_t i = 4; i < parts.size(); ++i) {
    bool consumed = false;
    if (!parse_byte_common(parts[i], rb, op->rd, op->relative, consumed, err)) return false;
    if (!consumed) {
      err = "unknown byte_test option '" + std::string(parts[i]) + "'";
      return false;
    }
  }
  if (!op->rd.string && op->rd.nbytes.var < 0 && op->rd.nbytes.value > 8) {
    err = "nbytes above 8 needs 'string'";
    return false;
  }
  rb.add_op(std::move(op));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_byte_test{
    "byte_test", "read N bytes (binary or string) and compare them to a value", 0, parse};

}  // namespace nsm4::detect
