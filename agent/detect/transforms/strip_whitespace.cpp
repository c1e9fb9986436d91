// strip_whitespace: removes every whitespace byte (Rust is_ascii_whitespace:
// space, \t, \n, \f, \r; not \v).
#include <algorithm>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

bool stripped(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

class StripWhitespace final : public transforms::SimpleTransform {
 public:
  StripWhitespace() : SimpleTransform("strip_whitespace") {}
  void apply(std::string_view in, std::string& out) const override {
    for (char c : in)
      if (!stripped(c)) out += c;
  }
  bool content_can_match(std::string_view content) const override {
    return std::none_of(content.begin(), content.end(), stripped);
  }
};

}  // namespace

extern const TransformDef kTransform_strip_whitespace{
    "strip_whitespace", "modify buffer to strip whitespace before inspection", false,
    [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<StripWhitespace>("strip_whitespace", v, err);
    }};

}  // namespace nsm4::detect
