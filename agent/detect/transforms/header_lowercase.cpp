// header_lowercase: lower-cases header names ("Name: Value\n" lines): bytes up
// to the first ':' of each line; values are left as they are.
#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class HeaderLowercase final : public transforms::SimpleTransform {
 public:
  HeaderLowercase() : SimpleTransform("header_lowercase") {}
  void apply(std::string_view in, std::string& out) const override {
    bool in_value = false;
    for (char c : in) {
      if (in_value) {
        out += c;
        if (c == '\n') in_value = false;
      } else {
        if (c == ':') in_value = true;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
      }
    }
  }
};

}  // namespace

extern const TransformDef kTransform_header_lowercase{
    "header_lowercase", "modify buffer via lowercaseing header names", false,
    [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<HeaderLowercase>("header_lowercase", v, err);
    }};

}  // namespace nsm4::detect
