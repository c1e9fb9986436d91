// to_md5: the buffer becomes its raw MD5 digest (see digest.h).
#include "detect/transforms/digest.h"
#include "detect/transforms/transform_list.h"

namespace nsm4::detect {

namespace {

class ToMd5 final : public transforms::DigestTransform {
 public:
  ToMd5() : DigestTransform(transforms::DigestKind::kMd5, "to_md5") {}
};

}  // namespace

extern const TransformDef kTransform_to_md5{
    "to_md5", "convert to md5 hash of the buffer", false, [](std::string_view v, std::string& err) {
      return transforms::parse_without_value<ToMd5>("to_md5", v, err);
    }};

}  // namespace nsm4::detect
