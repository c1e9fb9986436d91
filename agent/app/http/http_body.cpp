#include "app/http/http_body.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "app/http/http_text.h"

namespace nsm4::app::http {

bool parse_content_length(std::string_view value, uint64_t& out) {
  value = trim(value);
  if (value.empty() || value.size() > 18) return false;
  out = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool parse_chunk_size(std::string_view line, uint64_t& out, bool& has_extension) {
  has_extension = false;
  size_t semi = line.find(';');
  if (semi != std::string_view::npos) {
    has_extension = true;
    line = line.substr(0, semi);
  }
  line = trim(line);
  if (line.empty() || line.size() > 15) return false;
  out = 0;
  for (char c : line) {
    int v = -1;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
      v = (c | 0x20) - 'a' + 10;
    if (v < 0) return false;
    out = out << 4 | static_cast<uint64_t>(v);
  }
  return true;
}

Coding coding_of(std::string_view ce) {
  ce = trim(ce);
  if (iequals(ce, "gzip") || iequals(ce, "x-gzip")) return Coding::kGzip;
  if (iequals(ce, "deflate")) return Coding::kDeflate;
  return Coding::kIdentity;
}

class Inflater {
 public:
  enum class Result { kOk, kDone, kError };
  explicit Inflater(Coding coding) : coding_(coding) { std::memset(&zs_, 0, sizeof zs_); }
  ~Inflater() {
    if (init_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates `in`, calling sink(ptr, n) with output; sink returns false to stop.
  template <typename Sink>
  Result feed(std::span<const uint8_t> in, Sink&& sink) {
    if (done_) return Result::kDone;
    if (!init_ && !start(in)) return Result::kError;
    zs_.next_in = const_cast<Bytef*>(in.data());
    zs_.avail_in = static_cast<uInt>(in.size());
    unsigned char buf[16384];
    while (zs_.avail_in > 0) {
      zs_.next_out = buf;
      zs_.avail_out = sizeof buf;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_t have = sizeof buf - zs_.avail_out;
      if (have > 0 && !sink(reinterpret_cast<const char*>(buf), have)) return Result::kOk;
      if (rc == Z_STREAM_END) {
        done_ = true;
        return Result::kDone;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR) return Result::kError;
      if (rc == Z_BUF_ERROR && have == 0) break;
    }
    return Result::kOk;
  }
  uint64_t total_in() const { return zs_.total_in; }

 private:
  bool start(std::span<const uint8_t> in) {
    int bits = 15 + 32;  // gzip or zlib, detected from the header
    if (coding_ == Coding::kDeflate) {
      // "deflate" is meant to be zlib-wrapped but is often raw deflate.
      bool zlib = !in.empty() && (in[0] & 0x0f) == 8 && (in[0] >> 4) <= 7 &&
                  (in.size() < 2 || ((in[0] << 8) | in[1]) % 31 == 0);
      bits = zlib ? 15 : -15;
    }
    if (inflateInit2(&zs_, bits) != Z_OK) return false;
    init_ = true;
    return true;
  }
  Coding coding_;
  z_stream zs_;
  bool init_ = false;
  bool done_ = false;
};

BodyBuffer::BodyBuffer() = default;
BodyBuffer::~BodyBuffer() = default;
BodyBuffer::BodyBuffer(BodyBuffer&&) noexcept = default;
BodyBuffer& BodyBuffer::operator=(BodyBuffer&&) noexcept = default;

void BodyBuffer::start(Coding coding, const BodyLimits& limits) {
  clear();
  limits_ = limits;
  if (limits.decompress && coding != Coding::kIdentity)
    inflater_ = std::make_unique<Inflater>(coding);
}

void BodyBuffer::clear() {
  data_.clear();
  data_.shrink_to_fit();
  inflater_.reset();
  entity_len_ = 0;
  truncated_ = failed_ = bomb_ = false;
}

void BodyBuffer::keep(const char* p, size_t n) {
  size_t room = limits_.keep > data_.size() ? limits_.keep - data_.size() : 0;
  if (n > room) truncated_ = true;
  data_.append(p, std::min(n, room));
}

void BodyBuffer::add(std::span<const uint8_t> in) {
  entity_len_ += in.size();
  if (!inflater_ || failed_ || bomb_) {
    // Past a decompression failure the rest is kept as sent, as libhtp does.
    if (!bomb_) keep(reinterpret_cast<const char*>(in.data()), in.size());
    return;
  }
  if (data_.size() >= limits_.keep) {
    truncated_ = true;
    return;  // nothing more would be kept: spare the inflating
  }
  uint64_t out_total = 0;
  auto sink = [&](const char* p, size_t n) {
    out_total += n;
    keep(p, n);
    uint64_t produced = data_.size();
    if (produced > limits_.max_out ||
        (produced > 65536 &&
         produced / std::max<uint64_t>(inflater_->total_in(), 1) > limits_.max_ratio)) {
      bomb_ = true;
      return false;
    }
    return data_.size() < limits_.keep;
  };
  if (inflater_->feed(in, sink) == Inflater::Result::kError) {
    failed_ = true;
    if (out_total == 0) keep(reinterpret_cast<const char*>(in.data()), in.size());
  }
}

size_t BodyBuffer::memory() const {
  return data_.capacity() + (inflater_ ? sizeof(Inflater) + 7 * 1024 + 32 * 1024 : 0);
}

}  // namespace nsm4::app::http
