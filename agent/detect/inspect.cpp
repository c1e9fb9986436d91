#include "detect/inspect.h"

#include <algorithm>
#include <cstring>

#include "detect/pcre.h"

namespace nsm4::detect {

namespace {

constexpr uint32_t kRecursionLimit = 3000;

inline uint8_t lower(uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c;
}

// First occurrence of the content in [buf, buf+len), or nullptr.
const uint8_t* search(const ContentOp& c, const uint8_t* buf, uint32_t len) {
  const size_t n = c.bytes.size();
  if (n == 0) return buf;
  if (n > len) return nullptr;
  if (!c.nocase) {
    const void* r = memmem(buf, len, c.bytes.data(), n);
    return static_cast<const uint8_t*>(r);
  }
  const auto* pat = reinterpret_cast<const uint8_t*>(c.lower.data());
  const uint8_t first = pat[0];
  const uint8_t first_up =
      (first >= 'a' && first <= 'z') ? static_cast<uint8_t>(first - 32) : first;
  for (uint32_t i = 0; i + n <= len; ++i) {
    if (buf[i] != first && buf[i] != first_up) continue;
    size_t j = 1;
    while (j < n && lower(buf[i + j]) == pat[j]) ++j;
    if (j == n) return buf + i;
  }
  return nullptr;
}

// Extracted values are clamped: no buffer is 4 GiB, and offsets computed
// from them must not overflow.
int64_t value_of(const IntOrVar& v, const InspectState& st) {
  if (v.var < 0) return v.value;
  uint64_t x = st.vars[static_cast<uint8_t>(v.var)];
  return static_cast<int64_t>(x > (uint64_t{1} << 32) ? (uint64_t{1} << 32) : x);
}

int run(const BufferProgram& prog, size_t i, const uint8_t* buf, uint32_t len, InspectState& st);

// An op matched: go on with the next one, or report the whole list matched.
int next(const BufferProgram& prog, size_t i, const uint8_t* buf, uint32_t len, InspectState& st) {
  if (i + 1 >= prog.ops.size()) return 1;
  return run(prog, i + 1, buf, len, st);
}

int run_content(const BufferProgram& prog, size_t i, const ContentOp& cd, const uint8_t* buf,
                uint32_t len, InspectState& st) {
  const bool relative = cd.has_distance || cd.has_within;
  uint32_t prev_offset = 0;
  uint32_t prev_buffer_offset = st.buffer_offset;
  const uint32_t clen = static_cast<uint32_t>(cd.bytes.size());
  const bool single = !relative && !cd.backtrack_next;
  for (;;) {
    int64_t depth = len;
    int64_t offset = 0;
    if (relative) {
      offset = prev_buffer_offset;
      int64_t distance = cd.has_distance ? value_of(cd.distance, st) : 0;
      if (cd.has_distance) {
        if (distance < 0 && -distance > offset) {
          offset = 0;
        } else {
          offset += distance;
        }
      }
      if (cd.has_within) {
        int64_t lim = static_cast<int64_t>(prev_buffer_offset) + value_of(cd.within, st) + distance;
        if (depth > lim) depth = lim;
      }
      if (cd.has_depth) {
        int64_t d = value_of(cd.depth, st);
        if (d + prev_buffer_offset < depth) depth = prev_buffer_offset + d;
      }
      if (cd.has_offset) {
        int64_t o = value_of(cd.offset, st);
        if (o > offset) offset = o;
      }
    } else {
      offset = cd.has_offset ? value_of(cd.offset, st) : 0;
      // depth counts from the offset.
      if (cd.has_depth) depth = offset + value_of(cd.depth, st);
      prev_buffer_offset = 0;
    }
    if (prev_offset != 0) offset = prev_offset;
    if (depth > len) depth = len;
    if (offset > depth || depth <= 0 || offset < 0) {
      if (cd.negated) return next(prog, i, buf, len, st);
      return 0;
    }
    const uint32_t slen = static_cast<uint32_t>(depth - offset);
    const uint8_t* found = nullptr;
    if (cd.endswith && depth < len) {
      found = nullptr;
    } else if (clen <= slen) {
      found = search(cd, buf + offset, slen);
    }
    if (!found) {
      if (cd.negated) return next(prog, i, buf, len, st);
      return relative ? 0 : -1;
    }
    const uint32_t match_offset = static_cast<uint32_t>(found - buf) + clen;
    if (cd.negated) {
      if (cd.endswith && match_offset != len) return next(prog, i, buf, len, st);
      return single ? -1 : 0;
    }
    st.buffer_offset = match_offset;
    if (!cd.endswith || match_offset == len) {
      if (i + 1 >= prog.ops.size()) return 1;
      int r = run(prog, i + 1, buf, len, st);
      if (r != 0) return r;
      if (!cd.backtrack_next) return -1;
    }
    prev_offset = match_offset - (clen ? clen - 1 : 0);
    if (clen == 0) ++prev_offset;
  }
}

int run(const BufferProgram& prog, size_t i, const uint8_t* buf, uint32_t len, InspectState& st) {
  if (++st.recursion >= kRecursionLimit) return -1;
  const Op& op = *prog.ops[i];
  switch (op.kind) {
    case OpKind::kContent:
      return run_content(prog, i, static_cast<const ContentOp&>(op), buf, len, st);
    case OpKind::kPcre: {
      const auto& pe = static_cast<const PcreOp&>(op);
      const uint32_t prev_buffer_offset = st.buffer_offset;
      // A relative pcre sees the buffer from the previous match on (^ anchors there).
      const uint32_t base = pe.relative ? std::min(st.buffer_offset, len) : 0;
      uint32_t from = 0;
      for (;;) {
        uint32_t mstart = 0, mend = 0;
        bool found = pcre_search(*pe.program, buf + base, len - base, from, st, mstart, mend);
        if (pe.negated) {
          if (found) return 0;
          return next(prog, i, buf, len, st);
        }
        if (!found) return 0;
        st.buffer_offset = base + mend;
        int r = next(prog, i, buf, len, st);
        if (r != 0 || !pe.backtrack_next) return r;
        st.buffer_offset = prev_buffer_offset;
        from = mstart + 1;
        if (base + from > len) return 0;
      }
    }
    case OpKind::kIsDataAt: {
      const auto& id = static_cast<const IsDataAtOp&>(op);
      const int64_t at = value_of(id.at, st);
      const bool have = id.relative ? static_cast<int64_t>(st.buffer_offset) + at <= len
                                    : at < static_cast<int64_t>(len);
      if (have != id.negated) return next(prog, i, buf, len, st);
      // A later match position cannot help: give up unless a variable moved.
      if (id.relative && have) return 0;
      return id.at.var < 0 ? -1 : 0;
    }
    case OpKind::kBsize: {
      const auto& bs = static_cast<const BsizeOp&>(op);
      if (!bs.cmp.matches(len)) return -1;
      return next(prog, i, buf, len, st);
    }
    case OpKind::kByteTest:
      if (!match_byte_test(static_cast<const ByteTestOp&>(op), buf, len, st)) return 0;
      return next(prog, i, buf, len, st);
    case OpKind::kByteJump:
      if (!match_byte_jump(static_cast<const ByteJumpOp&>(op), buf, len, st)) return 0;
      return next(prog, i, buf, len, st);
    case OpKind::kByteExtract:
      if (!match_byte_extract(static_cast<const ByteExtractOp&>(op), buf, len, st)) return 0;
      return next(prog, i, buf, len, st);
    case OpKind::kByteMath:
      if (!match_byte_math(static_cast<const ByteMathOp&>(op), buf, len, st)) return 0;
      return next(prog, i, buf, len, st);
  }
  return 0;
}

}  // namespace

int64_t resolve(const IntOrVar& v, const InspectState& st) {
  return value_of(v, st);
}

bool inspect_buffer(const BufferProgram& prog, const uint8_t* buf, uint32_t len, InspectState& st) {
  st.buffer_offset = 0;
  st.recursion = 0;
  if (prog.ops.empty()) return true;
  static const uint8_t kEmpty[1] = {0};
  if (!buf) buf = kEmpty;
  return run(prog, 0, buf, len, st) == 1;
}

std::string UintCmp::key() const {
  return std::to_string(static_cast<int>(op)) + ',' + std::to_string(a) + ',' + std::to_string(b);
}

std::string IsDataAtOp::key() const {
  return "isdataat:" + std::to_string(at.value) + ',' + std::to_string(at.var) + ',' +
         (relative ? "r" : "") + (negated ? "!" : "");
}

std::string ContentOp::key() const {
  std::string k = "content:";
  k += bytes;
  k += '\0';
  auto add = [&](bool has, const IntOrVar& v) {
    k += has ? '1' : '0';
    if (has) k += std::to_string(v.value) + '/' + std::to_string(v.var) + ';';
  };
  add(has_offset, offset);
  add(has_depth, depth);
  add(has_distance, distance);
  add(has_within, within);
  k += negated ? '!' : '-';
  k += nocase ? 'i' : '-';
  k += startswith ? 's' : '-';
  k += endswith ? 'e' : '-';
  k += fast_pattern ? 'f' : '-';
  k += fast_pattern_only ? 'o' : '-';
  k += backtrack_next ? 'b' : '-';
  k += std::to_string(fp_offset) + ',' + std::to_string(fp_len);
  return k;
}

}  // namespace nsm4::detect
