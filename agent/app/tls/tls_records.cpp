#include "app/tls/tls_records.h"

#include <algorithm>

namespace nsm4::app::tls {

uint8_t ByteReader::u8() {
  if (!ok_ || remaining() < 1) {
    ok_ = false;
    return 0;
  }
  return data_[pos_++];
}

uint16_t ByteReader::u16() {
  if (!ok_ || remaining() < 2) {
    ok_ = false;
    return 0;
  }
  uint16_t v = static_cast<uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

uint32_t ByteReader::u24() {
  if (!ok_ || remaining() < 3) {
    ok_ = false;
    return 0;
  }
  uint32_t v = static_cast<uint32_t>(data_[pos_]) << 16 |
               static_cast<uint32_t>(data_[pos_ + 1]) << 8 | data_[pos_ + 2];
  pos_ += 3;
  return v;
}

std::span<const uint8_t> ByteReader::bytes(size_t n) {
  if (!ok_ || remaining() < n) {
    ok_ = false;
    return {};
  }
  auto out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

// SSLv3/TLS records start with a content type 20..24; SSLv2 records with a
// 2-byte length whose high bit is set.
size_t RecordFramer::header_len(uint8_t first_byte) {
  if (first_byte >= kChangeCipherSpec && first_byte <= kHeartbeat) return kRecordHeaderLen;
  if (first_byte & 0x80) return 5;  // 2-byte length, message type, 2-byte version
  return 1;                         // enough to reject it
}

bool RecordFramer::read_header(std::span<const uint8_t> hdr, Record& rec,
                               std::string_view& event) const {
  uint8_t b0 = hdr[0];
  if (b0 >= kChangeCipherSpec && b0 <= kHeartbeat) {
    rec.type = b0;
    rec.version = static_cast<uint16_t>(hdr[1] << 8 | hdr[2]);
    rec.length = static_cast<uint32_t>(hdr[3] << 8 | hdr[4]);
    rec.sslv2 = false;
    if (hdr[1] != 3) {
      event = "INVALID_RECORD_VERSION";
      return false;
    }
    if (rec.length > max_record_) {
      event = "INVALID_RECORD_LENGTH";
      return false;
    }
    return true;
  }
  if (b0 & 0x80) {
    rec.sslv2 = true;
    rec.type = hdr[2];
    rec.version = static_cast<uint16_t>(hdr[3] << 8 | hdr[4]);
    // The length counts the bytes after the 2-byte header (message type first).
    rec.length = static_cast<uint32_t>((b0 & 0x7f) << 8 | hdr[1]);
    if (rec.length < 3) {
      event = "INVALID_SSLV2_HEADER";
      return false;
    }
    return true;
  }
  event = "INVALID_RECORD_TYPE";
  return false;
}

FrameStatus RecordFramer::next(std::span<const uint8_t>& data, Record& rec,
                               std::string_view& event) {
  if (clear_held_) {
    held_.clear();
    clear_held_ = false;
  }
  if (skip_remaining_ > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(skip_remaining_, data.size()));
    data = data.subspan(n);
    skip_remaining_ -= n;
    if (skip_remaining_ > 0) return FrameStatus::kNeedMore;
  }
  // Complete the header (in held_ when it is split, else straight from data).
  std::span<const uint8_t> hdr;
  if (held_.empty() && !data.empty() && data.size() >= header_len(data[0])) {
    hdr = data.first(header_len(data[0]));
  } else {
    if (held_.empty() && data.empty()) return FrameStatus::kNeedMore;
    size_t want = header_len(held_.empty() ? data[0] : held_[0]);
    size_t take = std::min(data.size(), want > held_.size() ? want - held_.size() : 0);
    held_.insert(held_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
    data = data.subspan(take);
    if (held_.size() < want) return FrameStatus::kNeedMore;
    hdr = std::span<const uint8_t>(held_).first(want);
  }
  if (!read_header(hdr, rec, event)) return FrameStatus::kError;

  // SSLv2: the 2-byte length header, then `length` bytes (type and version included).
  size_t hdr_wire = rec.sslv2 ? 2 : kRecordHeaderLen;
  size_t total = hdr_wire + rec.length;
  if (!rec.sslv2 && rec.type == kApplicationData) {
    // Counted, never buffered: skip the body.
    size_t from_data = held_.empty() ? hdr.size() : 0;
    data = data.subspan(from_data);
    held_.clear();
    size_t n = std::min<size_t>(rec.length, data.size());
    data = data.subspan(n);
    skip_remaining_ = rec.length - n;
    rec.body = {};
    ++records_;
    return FrameStatus::kRecord;
  }
  if (held_.empty() && data.size() >= total) {
    rec.body = data.subspan(hdr_wire, rec.length);
    data = data.subspan(total);
    ++records_;
    return FrameStatus::kRecord;
  }
  size_t take = std::min(data.size(), total - held_.size());
  held_.insert(held_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(take));
  data = data.subspan(take);
  if (held_.size() < total) return FrameStatus::kNeedMore;
  rec.body = std::span<const uint8_t>(held_).subspan(hdr_wire, rec.length);
  clear_held_ = true;
  ++records_;
  return FrameStatus::kRecord;
}

void HandshakeAssembler::add(std::span<const uint8_t> record_body) {
  if (pos_ > 0) {
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<ptrdiff_t>(pos_));
    pos_ = 0;
  }
  buf_.insert(buf_.end(), record_body.begin(), record_body.end());
}

FrameStatus HandshakeAssembler::next(uint8_t& type, std::span<const uint8_t>& body,
                                     std::string_view& event) {
  std::span<const uint8_t> rest = std::span<const uint8_t>(buf_).subspan(pos_);
  if (rest.size() < kHandshakeHeaderLen) return FrameStatus::kNeedMore;
  uint32_t len =
      static_cast<uint32_t>(rest[1]) << 16 | static_cast<uint32_t>(rest[2]) << 8 | rest[3];
  if (len > max_message_) {
    event = "HANDSHAKE_INVALID_LENGTH";
    return FrameStatus::kError;
  }
  if (rest.size() < kHandshakeHeaderLen + len) return FrameStatus::kNeedMore;
  type = rest[0];
  body = rest.subspan(kHandshakeHeaderLen, len);
  pos_ += kHandshakeHeaderLen + len;
  return FrameStatus::kRecord;
}

void HandshakeAssembler::clear() {
  buf_.clear();
  buf_.shrink_to_fit();
  pos_ = 0;
}

}  // namespace nsm4::app::tls
