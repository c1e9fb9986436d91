#pragma once
// A small, allocation-friendly JSON writer for EVE lines. Appends to a
// std::string the caller reuses, so the hot path does not allocate per event.
#include <cstdint>
#include <string>
#include <string_view>

namespace nsm4 {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // Starts a member inside an object: writes the key and the colon.
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int64_t v);
  JsonWriter& value(uint64_t v);
  JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
  JsonWriter& value(unsigned v) { return value(static_cast<uint64_t>(v)); }
  JsonWriter& value(double v);
  JsonWriter& null();
  // Inserts pre-rendered JSON as a value.
  JsonWriter& raw(std::string_view json);

  template <typename T>
  JsonWriter& kv(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  static void escape(std::string& out, std::string_view s);

 private:
  void comma();
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace nsm4
