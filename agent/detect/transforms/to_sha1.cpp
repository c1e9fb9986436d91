// to_sha1: the buffer becomes its raw SHA1 digest (see digest.h).
#include "detect/transforms/digest.h"
#include "detect/transforms/transform_list.h"

namespace nsm4::detect {

namespace {

class ToSha1 final : public transforms::DigestTransform {
 public:
  ToSha1() : DigestTransform(transforms::DigestKind::kSha1, "to_sha1") {}
};

}  // namespace

extern const TransformDef kTransform_to_sha1{"to_sha1", "convert to sha1 hash of the buffer", false,
                                             [](std::string_view v, std::string& err) {
                                               return transforms::parse_without_value<ToSha1>(
                                                   "to_sha1", v, err);
                                             }};

}  // namespace nsm4::detect
