#pragma once
// gzip (RFC 1952) compression of a whole batch body, with zlib.
#include <string>
#include <string_view>

namespace nsm4::forward {

// Replaces `out` with the gzip stream of `in`. level: 0-9 (zlib's levels).
// Returns "" or zlib's error.
std::string gzip_compress(std::string_view in, int level, std::string& out);

// The inverse, for reading a batch back; fails past max_out bytes.
std::string gzip_decompress(std::string_view in, size_t max_out, std::string& out);

}  // namespace nsm4::forward
