// strip_pseudo_headers: drops the lines that start with ':' (HTTP/2
// ":method: GET" and the like), each with its '\n'.
#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class StripPseudoHeaders final : public transforms::SimpleTransform {
 public:
  StripPseudoHeaders() : SimpleTransform("strip_pseudo_headers") {}
  void apply(std::string_view in, std::string& out) const override {
    while (!in.empty()) {
      size_t nl = in.find('\n');
      size_t len = nl == std::string_view::npos ? in.size() : nl + 1;
      if (in[0] != ':') out += in.substr(0, len);
      in.remove_prefix(len);
    }
  }
};

}  // namespace

extern const TransformDef kTransform_strip_pseudo_headers{
    "strip_pseudo_headers", "modify buffer via stripping pseudo headers", false,
    [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<StripPseudoHeaders>("strip_pseudo_headers", v, err);
    }};

}  // namespace nsm4::detect
