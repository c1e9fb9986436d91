// byte_extract: read N bytes into a variable for later keywords
// (nbytes, offset, name [, relative, multiplier M, big|little, string,
// hex|dec|oct, dce, align 2|4, bitmask M]).
#include <cctype>
#include <cstdint>

#include "detect/byte_read.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

std::string ByteExtractOp::key() const {
  return "byte_extract:" + rd.key() + ",x" + std::to_string(multiplier) + (align ? ",a" : "") +
         ",v" + std::to_string(var) + (relative ? ",r" : "");
}

bool match_byte_extract(const ByteExtractOp& op, const uint8_t* buf, uint32_t len,
                        InspectState& st) {
  const int64_t start = resolve(op.rd.offset, st) + (op.relative ? st.buffer_offset : 0);
  const int n = static_cast<int>(resolve(op.rd.nbytes, st));
  uint64_t v = 0;
  if (!op.rd.read(buf, len, start, n, v)) return false;
  v *= op.multiplier;
  if (op.align && v % 4) v += 4 - v % 4;
  st.vars[static_cast<uint8_t>(op.var)] = v;
  st.buffer_offset = static_cast<uint32_t>(start + n);
  return true;
}

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto op = std::make_shared<ByteExtractOp>();
  auto parts = split(o.value, ',');
  if (parts.size() < 3) {
    err = "expected nbytes, offset, name [, flags]";
    return false;
  }
  if (!rb.int_or_var(parts[0], op->rd.nbytes, 1, 23, err)) return false;
  if (!rb.int_or_var(parts[1], op->rd.offset, -65535, 65535, err)) return false;
  std::string name(parts[2]);
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
    err = "expected a variable name, got '" + name + "'";
    return false;
  }
  for (size_t i = 3; i < parts.size(); ++i) {
    std::string_view w = parts[i];
    bool consumed = false;
    if (!parse_byte_common(w, rb, op->rd, op->relative, consumed, err)) return false;
    if (consumed) continue;
    int64_t n = 0;
    if (w.starts_with("multiplier") && parse_int(w.substr(10), n) && n > 0 && n <= 65535) {
      op->multiplier = static_cast<uint32_t>(n);
    } else if (w.starts_with("align") && parse_int(w.substr(5), n) && (n == 2 || n == 4)) {
      op->align = true;
    } else {
      err = "unknown byte_extract option '" + std::string(w) + "'";
      return false;
    }
  }
  if (!rb.validating) {
    auto it = rb.vars.find(name);
    if (it != rb.vars.end()) {
      op->var = it->second;
    } else {
      if (rb.vars.size() >= kMaxByteVars) {
        err = "too many byte_extract/byte_math variables in one rule";
        return false;
      }
      op->var = static_cast<int8_t>(rb.vars.size());
      rb.vars.emplace(name, op->var);
    }
  }
  rb.add_op(std::move(op));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_byte_extract{
    "byte_extract", "read N bytes into a named variable for later keywords", 0, parse};

}  // namespace nsm4::detect
