#pragma once
// TLS framing: splitting one direction's byte stream into records (holding a
// partial record across calls) and reassembling handshake messages that span
// records. Also the bounds-checked reader the message parsers share.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace nsm4::app::tls {

enum RecordType : uint8_t {
  kChangeCipherSpec = 20,
  kAlert = 21,
  kHandshake = 22,
  kApplicationData = 23,
  kHeartbeat = 24,
};

inline constexpr size_t kRecordHeaderLen = 5;
inline constexpr size_t kHandshakeHeaderLen = 4;

// A big-endian reader that never reads past its span; a failed read leaves
// ok() false and returns zeros / empty spans from then on.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}
  uint8_t u8();
  uint16_t u16();
  uint32_t u24();
  std::span<const uint8_t> bytes(size_t n);
  bool ok() const { return ok_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

struct Record {
  uint8_t type = 0;      // RecordType; for SSLv2 the message type (1 client hello, 4 server hello)
  uint16_t version = 0;  // record-layer version (SSLv2: the message's version field when present)
  uint32_t length = 0;   // the record's body length on the wire
  bool sslv2 = false;
  // The body; empty for application data, which is skipped without buffering.
  std::span<const uint8_t> body;
};

enum class FrameStatus : uint8_t { kRecord, kNeedMore, kError };

// Splits one direction into records. A record body returned points into the
// caller's data or into the framer's buffer; it stays valid until next() is
// called again.
class RecordFramer {
 public:
  explicit RecordFramer(uint32_t max_record) : max_record_(max_record) {}
  // Takes bytes from the front of `data` (advancing it). On kError, `event`
  // names the Suricata decoder event and the stream cannot be framed further.
  FrameStatus next(std::span<const uint8_t>& data, Record& rec, std::string_view& event);
  size_t memory() const { return held_.capacity(); }
  uint64_t records() const { return records_; }

 private:
  // Checks a complete header; fills rec.type/version/length/sslv2.
  bool read_header(std::span<const uint8_t> hdr, Record& rec, std::string_view& event) const;
  static size_t header_len(uint8_t first_byte);

  uint32_t max_record_;
  std::vector<uint8_t> held_;    // the partial record (header and body) being assembled
  bool clear_held_ = false;      // the last record returned lived in held_
  uint64_t skip_remaining_ = 0;  // bytes of an application-data body still to skip
  uint64_t records_ = 0;
};

// Reassembles handshake messages (4-byte header: type, 24-bit length) from
// the bodies of consecutive handshake records.
class HandshakeAssembler {
 public:
  explicit HandshakeAssembler(uint32_t max_message) : max_message_(max_message) {}
  void add(std::span<const uint8_t> record_body);
  // The next complete message. kError (event HANDSHAKE_INVALID_LENGTH) when a
  // message announces more than max_message bytes. The body stays valid
  // until add() or clear().
  FrameStatus next(uint8_t& type, std::span<const uint8_t>& body, std::string_view& event);
  void clear();
  size_t buffered() const { return buf_.size() - pos_; }
  size_t memory() const { return buf_.capacity(); }

 private:
  uint32_t max_message_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
};

}  // namespace nsm4::app::tls
