#include "detect/transforms/digest.h"

#include <openssl/evp.h>

namespace nsm4::detect::transforms {

void append_digest(DigestKind kind, std::string_view in, std::string& out) {
  if (in.empty()) return;
  const EVP_MD* md = kind == DigestKind::kMd5    ? EVP_md5()
                     : kind == DigestKind::kSha1 ? EVP_sha1()
                                                 : EVP_sha256();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(in.data(), in.size(), digest, &len, md, nullptr) != 1) return;
  out.append(reinterpret_cast<const char*>(digest), len);
}

}  // namespace nsm4::detect::transforms
