// compress_whitespace: a run of whitespace (space \t \n \v \f \r) becomes its
// first byte.
#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

class CompressWhitespace final : public transforms::SimpleTransform {
 public:
  CompressWhitespace() : SimpleTransform("compress_whitespace") {}
  void apply(std::string_view in, std::string& out) const override {
    bool in_run = false;
    for (char c : in) {
      bool space = transforms::is_ascii_space(static_cast<unsigned char>(c));
      if (!space || !in_run) out += c;
      in_run = space;
    }
  }
  // Two whitespace bytes in a row never survive the transform.
  bool content_can_match(std::string_view content) const override {
    bool prev = false;
    for (char c : content) {
      bool space = transforms::is_ascii_space(static_cast<unsigned char>(c));
      if (space && prev) return false;
      prev = space;
    }
    return true;
  }
};

}  // namespace

extern const TransformDef kTransform_compress_whitespace{
    "compress_whitespace",
    "modify buffer to compress consecutive whitespace characters into a single one before "
    "inspection",
    false, [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<CompressWhitespace>("compress_whitespace", v, err);
    }};

}  // namespace nsm4::detect
