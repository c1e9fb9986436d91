#pragma once
// The hash transforms (to_md5, to_sha1, to_sha256) over OpenSSL's EVP.
#include <string>
#include <string_view>

#include "detect/transforms/transform_util.h"

namespace nsm4::detect::transforms {

enum class DigestKind { kMd5, kSha1, kSha256 };

// Appends the raw digest of `in`. Like Suricata, an empty buffer stays empty
// (no digest of the empty string).
void append_digest(DigestKind kind, std::string_view in, std::string& out);

class DigestTransform : public SimpleTransform {
 public:
  DigestTransform(DigestKind kind, std::string_view name) : SimpleTransform(name), kind_(kind) {}
  void apply(std::string_view in, std::string& out) const override {
    append_digest(kind_, in, out);
  }

 private:
  DigestKind kind_;
};

}  // namespace nsm4::detect::transforms
