// to_sha256: the buffer becomes its raw SHA256 digest (see digest.h).
#include "detect/transforms/digest.h"
#include "detect/transforms/transform_list.h"

namespace nsm4::detect {

namespace {

class ToSha256 final : public transforms::DigestTransform {
 public:
  ToSha256() : DigestTransform(transforms::DigestKind::kSha256, "to_sha256") {}
};

}  // namespace

extern const TransformDef kTransform_to_sha256{"to_sha256", "convert to sha256 hash of the buffer",
                                               false, [](std::string_view v, std::string& err) {
                                                 return transforms::parse_without_value<ToSha256>(
                                                     "to_sha256", v, err);
                                               }};

}  // namespace nsm4::detect
