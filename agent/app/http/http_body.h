#pragma once
// Message bodies: Content-Length and chunk-size parsing, and the body buffer
// that decompresses (gzip, deflate) and keeps up to a limit for inspection.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace nsm4::app::http {

// Digits with optional surrounding whitespace; false when invalid.
bool parse_content_length(std::string_view value, uint64_t& out);
// A chunk-size line without its line end ("1a3", "8 ", "0;name=v").
// false when it has no hex digits, overflows or has junk after the size.
bool parse_chunk_size(std::string_view line, uint64_t& out, bool& has_extension);

enum class Coding : uint8_t { kIdentity, kGzip, kDeflate };
// Content-Encoding value -> coding. Unknown or several codings: kIdentity.
Coding coding_of(std::string_view content_encoding);

struct BodyLimits {
  size_t keep = 100 * 1024;    // bytes kept for inspection
  bool decompress = true;      // undo gzip/deflate
  uint64_t max_out = 2 << 20;  // decompressed bytes per body at most
  uint32_t max_ratio = 2000;   // decompressed/compressed, checked past 64 KiB out
};

class Inflater;

// The de-chunked body of one message, decompressed, kept up to a limit.
class BodyBuffer {
 public:
  BodyBuffer();
  ~BodyBuffer();
  BodyBuffer(BodyBuffer&&) noexcept;
  BodyBuffer& operator=(BodyBuffer&&) noexcept;

  void start(Coding coding, const BodyLimits& limits);
  // De-chunked body bytes as they arrive.
  void add(std::span<const uint8_t> data);
  void clear();

  const std::string& data() const { return data_; }
  uint64_t entity_len() const { return entity_len_; }  // de-chunked bytes received
  bool truncated() const { return truncated_; }        // more than `keep` arrived
  bool decompress_failed() const { return failed_; }
  bool bomb() const { return bomb_; }
  size_t memory() const;

 private:
  void keep(const char* p, size_t n);
  std::string data_;
  BodyLimits limits_;
  std::unique_ptr<Inflater> inflater_;
  uint64_t entity_len_ = 0;
  bool truncated_ = false;
  bool failed_ = false;
  bool bomb_ = false;
};

}  // namespace nsm4::app::http
