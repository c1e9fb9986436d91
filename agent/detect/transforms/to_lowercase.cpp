// to_lowercase: ASCII letters to lower case.
#include <algorithm>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class ToLowercase final : public transforms::SimpleTransform {
 public:
  ToLowercase() : SimpleTransform("to_lowercase") {}
  void apply(std::string_view in, std::string& out) const override {
    for (char c : in) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  bool content_can_match(std::string_view content) const override {
    return std::none_of(content.begin(), content.end(),
                        [](char c) { return c >= 'A' && c <= 'Z'; });
  }
};

}  // namespace

extern const TransformDef kTransform_to_lowercase{
    "to_lowercase", "convert buffer to lowercase", false, [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<ToLowercase>("to_lowercase", v, err);
    }};

}  // namespace nsm4::detect
