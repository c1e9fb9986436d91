#pragma once
// The transforms of transform_table(): each file in transforms/ defines
// kTransform_<name>; adding one means adding its name here.
#include "detect/transforms/transform.h"

#define NSM4_TRANSFORMS(X) \
  X(to_lowercase)          \
  X(to_uppercase)          \
  X(strip_whitespace)      \
  X(compress_whitespace)   \
  X(dotprefix)             \
  X(url_decode)            \
  X(from_base64)           \
  X(xor)                   \
  X(to_md5)                \
  X(to_sha1)               \
  X(to_sha256)             \
  X(header_lowercase)      \
  X(strip_pseudo_headers)  \
  X(pcrexform)

namespace nsm4::detect {

#define NSM4_TRANSFORM_DECL(n) extern const TransformDef kTransform_##n;
NSM4_TRANSFORMS(NSM4_TRANSFORM_DECL)
#undef NSM4_TRANSFORM_DECL

}  // namespace nsm4::detect
