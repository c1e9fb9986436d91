#pragma once
#include <string>

namespace nsm4 {

// Drains OpenSSL's error queue of this thread into one "; "-separated message
// ("unknown OpenSSL error" when the queue is empty).
std::string openssl_error_reason();

}  // namespace nsm4
