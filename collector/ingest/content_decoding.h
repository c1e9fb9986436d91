#pragma once
// The request body's Content-Encoding undone, with a cap on the decoded size
// so that a small gzip bomb cannot exhaust memory.
#include <cstdint>
#include <string>

namespace nsm4::collector {

enum class DecodeStatus : uint8_t {
  kOk,
  kUnsupportedEncoding,  // 415
  kTooLarge,             // 413: decoded size over the cap
  kCorrupt,              // 400: not valid gzip/deflate data
};

struct DecodedBody {
  DecodeStatus status = DecodeStatus::kOk;
  std::string body;     // the decoded body when kOk
  std::string message;  // what went wrong otherwise
};

// `content_encoding` is the header's value or nullptr. Accepted: none,
// "identity", "gzip" / "x-gzip" (concatenated members too) and "deflate"
// (zlib-wrapped, RFC 9110), case-insensitive. An unencoded body is returned
// as is (its size is the server's max-body limit's business).
DecodedBody decode_content(const std::string* content_encoding, std::string body,
                           uint64_t max_decoded_bytes);

}  // namespace nsm4::collector
