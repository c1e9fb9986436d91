// dotprefix: prepends '.' (so ".example.com" matches a domain and its
// subdomains only). An empty buffer stays empty, as in Suricata.
#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class Dotprefix final : public transforms::SimpleTransform {
 public:
  Dotprefix() : SimpleTransform("dotprefix") {}
  void apply(std::string_view in, std::string& out) const override {
    if (in.empty()) return;
    out += '.';
    out += in;
  }
};

}  // namespace

extern const TransformDef kTransform_dotprefix{
    "dotprefix", "modify buffer to extract the dotprefix", false,
    [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<Dotprefix>("dotprefix", v, err);
    }};

}  // namespace nsm4::detect
