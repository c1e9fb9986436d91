#include "nsm4/common/openssl_error.h"

#include <openssl/err.h>

namespace nsm4 {

std::string openssl_error_reason() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

}  // namespace nsm4
