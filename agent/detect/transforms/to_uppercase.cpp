// to_uppercase: ASCII letters to upper case.
#include <algorithm>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class ToUppercase final : public transforms::SimpleTransform {
 public:
  ToUppercase() : SimpleTransform("to_uppercase") {}
  void apply(std::string_view in, std::string& out) const override {
    for (char c : in) out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c;
  }
  bool content_can_match(std::string_view content) const override {
    return std::none_of(content.begin(), content.end(),
                        [](char c) { return c >= 'a' && c <= 'z'; });
  }
};

}  // namespace

extern const TransformDef kTransform_to_uppercase{
    "to_uppercase", "convert buffer to uppercase", false, [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<ToUppercase>("to_uppercase", v, err);
    }};

}  // namespace nsm4::detect
