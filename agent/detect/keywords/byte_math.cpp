// byte_math: read N bytes, apply an operation, store the result in a variable
// (bytes N, offset O, oper +|-|*|/|<<|>>, rvalue V, result NAME [, relative,
// endian big|little, string hex|dec|oct, dce, bitmask M]).
#include <cctype>
#include <cstdint>

#include "detect/byte_read.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

std::string ByteMathOp::key() const {
  return "byte_math:" + rd.key() + ',' + oper + std::to_string(rvalue.value) + '/' +
         std::to_string(rvalue.var) + ",v" + std::to_string(var) + (relative ? ",r" : "");
}

bool match_byte_math(const ByteMathOp& op, const uint8_t* buf, uint32_t len, InspectState& st) {
  const int64_t start = resolve(op.rd.offset, st) + (op.relative ? st.buffer_offset : 0);
  uint64_t v = 0;
  if (!op.rd.read(buf, len, start, static_cast<int>(resolve(op.rd.nbytes, st)), v)) return false;
  const uint64_t r = op.rvalue.var >= 0 ? st.vars[static_cast<uint8_t>(op.rvalue.var)]
                                        : static_cast<uint64_t>(op.rvalue.value);
  switch (op.oper) {
    case '+':
      v += r;
      break;
    case '-':
      v -= r;
      break;
    case '*':
      v *= r;
      break;
    case '/':
      if (r == 0) return false;
      v /= r;
      break;
    case '<':
      v = r >= 64 ? 0 : v << r;
      break;
    case '>':
      v = r >= 64 ? 0 : v >> r;
      break;
  }
  st.vars[static_cast<uint8_t>(op.var)] = v;
  return true;
}

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  auto op = std::make_shared<ByteMathOp>();
  bool have_bytes = false, have_offset = false, have_oper = false, have_rvalue = false;
  std::string result;
  for (std::string_view part : split(o.value, ',')) {
    size_t sp = part.find_first_of(" \t");
    std::string_view k = part.substr(0, sp);
    std::string_view v = sp == std::string_view::npos ? std::string_view() : trim(part.substr(sp));
    if (k == "bytes") {
      if (!rb.int_or_var(v, op->rd.nbytes, 1, 10, err)) return false;
      have_bytes = true;
    } else if (k == "offset") {
      if (!rb.int_or_var(v, op->rd.offset, -65535, 65535, err)) return false;
      have_offset = true;
    } else if (k == "oper") {
      if (v == "+" || v == "-" || v == "*" || v == "/") {
        op->oper = v[0];
      } else if (v == "<<") {
        op->oper = '<';
      } else if (v == ">>") {
        op->oper = '>';
      } else {
        err = "oper must be one of + - * / << >>";
        return false;
      }
      have_oper = true;
    } else if (k == "rvalue") {
      if (!rb.int_or_var(v, op->rvalue, 0, INT64_MAX, err)) return false;
      have_rvalue = true;
    } else if (k == "result") {
      result = std::string(v);
    } else if (k == "endian") {
      if (v == "little") {
        op->rd.little = true;
      } else if (v == "dce") {
        op->rd.dce = true;
      } else if (v != "big") {
        err = "endian must be big, little or dce";
        return false;
      }
    } else if (k == "string") {
      op->rd.string = true;
      bool rel = false, consumed = false;
      if (!parse_byte_common(v, rb, op->rd, rel, consumed, err)) return false;
    } else {
      bool consumed = false;
      if (!parse_byte_common(part, rb, op->rd, op->relative, consumed, err)) return false;
      if (!consumed) {
        err = "unknown byte_math option '" + std::string(part) + "'";
        return false;
      }
    }
  }
  if (!have_bytes || !have_offset || !have_oper || !have_rvalue || result.empty()) {
    err = "needs bytes, offset, oper, rvalue and result";
    return false;
  }
  if (!rb.validating) {
    auto it = rb.vars.find(result);
    if (it != rb.vars.end()) {
      op->var = it->second;
    } else {
      if (rb.vars.size() >= kMaxByteVars) {
        err = "too many byte_extract/byte_math variables in one rule";
        return false;
      }
      op->var = static_cast<int8_t>(rb.vars.size());
      rb.vars.emplace(result, op->var);
    }
  }
  rb.add_op(std::move(op));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_byte_math{
    "byte_math", "read N bytes, apply + - * / << >> and store the result in a variable", 0, parse};

}  // namespace nsm4::detect
