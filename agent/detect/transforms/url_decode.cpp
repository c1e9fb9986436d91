// url_decode: %XX to the byte, '+' to space. A '%' not followed by two hex
// digits is kept with what followed it, and that byte is not re-read as the
// start of an escape ("%%41" stays "%%41", "%4" at the end stays "%4").
#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"
#include "nsm4/common/hex.h"

namespace nsm4::detect {

namespace {

class UrlDecode final : public transforms::SimpleTransform {
 public:
  UrlDecode() : SimpleTransform("url_decode") {}
  void apply(std::string_view in, std::string& out) const override {
    int seen = 0;  // bytes of an escape read so far: 0, 1 ('%'), 2 ('%' and one digit)
    char first_digit = 0;
    for (char c : in) {
      if (seen == 0) {
        if (c == '%')
          seen = 1;
        else
          out += c == '+' ? ' ' : c;
        continue;
      }
      int v = hex_value(c);
      if (v >= 0 && seen == 1) {
        first_digit = c;
        seen = 2;
      } else if (v >= 0) {
        out += static_cast<char>((hex_value(first_digit) << 4) | v);
        seen = 0;
      } else {
        out += '%';
        if (seen == 2) out += first_digit;
        out += c;
        seen = 0;
      }
    }
    if (seen > 0) out += '%';
    if (seen == 2) out += first_digit;
  }
};

}  // namespace

extern const TransformDef kTransform_url_decode{
    "url_decode", "modify buffer to decode urlencoded data before inspection", false,
    [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<UrlDecode>("url_decode", v, err);
    }};

}  // namespace nsm4::detect
