#include "ingest/content_decoding.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace nsm4::collector {

namespace {

std::string normalised_token(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

DecodedBody failure(DecodeStatus status, std::string message) {
  DecodedBody d;
  d.status = status;
  d.message = std::move(message);
  return d;
}

constexpr uint64_t kMinChunk = 64u << 10;

// The first output buffer: the gzip trailer's ISIZE (the decoded size mod 2^32
// of a single-member body) when plausible, else a typical ratio. The claim is
// capped by what deflate can expand to (1032:1), so that a small body cannot
// make us allocate more than decoding it could.
uint64_t initial_output_size(const std::string& in, bool gzip, uint64_t max_decoded) {
  constexpr uint64_t kExpectedRatio = 8;
  constexpr uint64_t kMaxDeflateRatio = 1032;
  constexpr size_t kGzipMinSize = 18;  // 10-byte header + empty deflate + 8-byte trailer
  uint64_t guess = std::max<uint64_t>(kMinChunk, in.size() * kExpectedRatio);
  if (gzip && in.size() >= kGzipMinSize) {
    const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
    const uint64_t isize =
        uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 | uint64_t{t[3]} << 24;
    // +1: room to see the end of the stream without growing the buffer.
    guess = std::min<uint64_t>(isize + 1, in.size() * kMaxDeflateRatio);
  }
  return std::min<uint64_t>(max_decoded + 1, guess);
}

// windowBits: 16 + 15 = gzip wrapper, 15 = zlib wrapper.
DecodedBody inflate_body(const std::string& in, int window_bits, const char* name,
                         uint64_t max_decoded) {
  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) return failure(DecodeStatus::kCorrupt, "zlib init");
  DecodedBody d;
  std::string& out = d.body;
  out.resize(static_cast<size_t>(initial_output_size(in, window_bits > MAX_WBITS, max_decoded)));
  size_t produced = 0;
  size_t consumed = 0;
  int rc = Z_OK;
  for (;;) {
    if (produced == out.size()) {
      if (produced > max_decoded) break;
      const uint64_t grown = std::min<uint64_t>(
          max_decoded + 1, std::max<uint64_t>(kMinChunk, uint64_t{out.size()} * 2));
      out.resize(static_cast<size_t>(grown));
    }
    const size_t in_left = in.size() - consumed;
    constexpr size_t kMaxStep = std::numeric_limits<uInt>::max();
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + consumed));
    zs.avail_in = static_cast<uInt>(std::min(in_left, kMaxStep));
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min(out.size() - produced, kMaxStep));
    const uInt avail_in_before = zs.avail_in;
    const uInt avail_out_before = zs.avail_out;
    rc = inflate(&zs, Z_NO_FLUSH);
    consumed += avail_in_before - zs.avail_in;
    produced += avail_out_before - zs.avail_out;
    if (produced > max_decoded) break;
    if (rc == Z_STREAM_END) {
      // gzip allows several members one after another; anything else after the end is an error.
      if (consumed == in.size()) break;
      if (inflateReset(&zs) != Z_OK) break;
      continue;
    }
    if (rc == Z_BUF_ERROR && consumed == in.size()) break;  // input ended mid-stream
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
  }
  const std::string zlib_message = zs.msg ? zs.msg : "";
  inflateEnd(&zs);
  if (produced > max_decoded) {
    return failure(DecodeStatus::kTooLarge, std::string(name) + " body decodes to more than " +
                                                std::to_string(max_decoded) + " bytes");
  }
  if (rc != Z_STREAM_END) {
    const bool truncated = rc == Z_OK || rc == Z_BUF_ERROR;
    return failure(DecodeStatus::kCorrupt,
                   std::string(name) + (truncated ? " body is truncated" : " body is corrupt") +
                       (!zlib_message.empty() && !truncated ? ": " + zlib_message : std::string()));
  }
  out.resize(produced);
  return d;
}

}  // namespace

DecodedBody decode_content(const std::string* content_encoding, std::string body,
                           uint64_t max_decoded_bytes) {
  const std::string enc = content_encoding ? normalised_token(*content_encoding) : std::string();
  if (enc.empty() || enc == "identity") {
    DecodedBody d;
    d.body = std::move(body);
    return d;
  }
  if (enc == "gzip" || enc == "x-gzip")
    return inflate_body(body, 16 + MAX_WBITS, "gzip", max_decoded_bytes);
  if (enc == "deflate") return inflate_body(body, MAX_WBITS, "deflate", max_decoded_bytes);
  constexpr size_t kShown = 40;
  std::string shown;
  for (char c : content_encoding->substr(0, kShown)) {
    shown.push_back(c >= 0x20 && c < 0x7F ? c : '?');  // the message is sent back as JSON
  }
  return failure(DecodeStatus::kUnsupportedEncoding,
                 "unsupported Content-Encoding \"" + shown + "\" (gzip, deflate or identity)");
}

}  // namespace nsm4::collector
