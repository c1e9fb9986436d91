#pragma once
// Helpers shared by the transform files: option-text parsing and the
// boilerplate of transforms without options.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "detect/transforms/transform.h"

namespace nsm4::detect::transforms {

std::string_view trim_ws(std::string_view s);
bool is_ascii_space(unsigned char c);  // ' ' \t \n \v \f \r
// Removes one pair of surrounding double quotes; false when there is none.
bool strip_quotes(std::string_view& s);
// Decimal digits only (no sign, no hex), at most `max`.
bool parse_decimal(std::string_view s, uint64_t max, uint64_t& out);
// `s` for an error message: quoted, non-printables escaped, long values cut.
std::string quoted_for_error(std::string_view s);

// A transform without options: its key is its name.
class SimpleTransform : public Transform {
 public:
  explicit SimpleTransform(std::string_view name) : name_(name) {}
  std::string key() const override { return std::string(name_); }

 private:
  std::string_view name_;
};

template <class T>
std::shared_ptr<const Transform> parse_without_value(std::string_view name, std::string_view value,
                                                     std::string& err) {
  if (!trim_ws(value).empty()) {
    err = std::string(name) + ": takes no value, got " + quoted_for_error(value);
    return nullptr;
  }
  return std::make_shared<const T>();
}

}  // namespace nsm4::detect::transforms
