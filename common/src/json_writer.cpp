#include "nsm4/common/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace nsm4 {

void JsonWriter::comma() {
  if (need_comma_) out_.push_back(',');
}

JsonWriter& JsonWriter::begin_object() {
  comma();
  out_.push_back('{');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  comma();
  out_.push_back('[');
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view k) {
  comma();
  out_.push_back('"');
  escape(out_, k);
  out_.append("\":");
  need_comma_ = false;
  return *this;
}
JsonWriter& JsonWriter::value(std::string_view s) {
  comma();
  out_.push_back('"');
  escape(out_, s);
  out_.push_back('"');
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(bool b) {
  comma();
  out_.append(b ? "true" : "false");
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(int64_t v) {
  comma();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(uint64_t v) {
  comma();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::value(double v) {
  comma();
  if (!std::isfinite(v)) {
    out_.append("null");
  } else {
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%.6g", v);
    out_.append(buf, static_cast<size_t>(n));
  }
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::null() {
  comma();
  out_.append("null");
  need_comma_ = true;
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json) {
  comma();
  out_.append(json);
  need_comma_ = true;
  return *this;
}

void JsonWriter::escape(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          // Non-ASCII bytes are escaped one by one so that any byte string
          // from the wire yields valid JSON.
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
}

}  // namespace nsm4
