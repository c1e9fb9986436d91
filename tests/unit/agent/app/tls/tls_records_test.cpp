#include "app/tls/tls_records.h"

#include <gtest/gtest.h>

#include "agent/app/tls/tls_builders.h"

namespace nsm4::app::tls {
namespace {

using testing::Bytes;

struct Seen {
  uint8_t type;
  uint32_t length;
  Bytes body;
};

std::vector<Seen> frame_all(RecordFramer& f, const Bytes& stream, size_t chunk) {
  std::vector<Seen> out;
  for (size_t off = 0; off < stream.size(); off += chunk) {
    std::span<const uint8_t> data =
        std::span(stream).subspan(off, std::min(chunk, stream.size() - off));
    Record rec;
    std::string_view ev;
    while (f.next(data, rec, ev) == FrameStatus::kRecord)
      out.push_back({rec.type, rec.length, Bytes(rec.body.begin(), rec.body.end())});
  }
  return out;
}

TEST(TlsRecords, FramesAtEverySplit) {
  Bytes stream = testing::record(22, Bytes{1, 2, 3});
  testing::append(stream, testing::record(23, Bytes(1000, 0xaa)));  // skipped, not buffered
  testing::append(stream, testing::record(21, Bytes{2, 40}));
  for (size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    RecordFramer f(18432);
    auto seen = frame_all(f, stream, chunk);
    ASSERT_EQ(seen.size(), 3u) << chunk;
    EXPECT_EQ(seen[0].body, (Bytes{1, 2, 3}));
    EXPECT_EQ(seen[1].type, 23);
    EXPECT_EQ(seen[1].length, 1000u);
    EXPECT_TRUE(seen[1].body.empty());
    EXPECT_EQ(seen[2].body, (Bytes{2, 40}));
    EXPECT_LT(f.memory(), 64u);
  }
}

TEST(TlsRecords, RejectsBadHeaders) {
  struct Case {
    Bytes bytes;
    std::string_view event;
  } cases[] = {{{22, 4, 1, 0, 1}, "INVALID_RECORD_VERSION"},
               {{25, 3, 1, 0, 1}, "INVALID_RECORD_TYPE"},
               {{22, 3, 1, 0x50, 0}, "INVALID_RECORD_LENGTH"},
               {{0x80, 0x01, 1, 0, 2}, "INVALID_SSLV2_HEADER"}};
  for (const auto& c : cases) {
    RecordFramer f(1000);
    std::span<const uint8_t> data(c.bytes);
    Record rec;
    std::string_view ev;
    EXPECT_EQ(f.next(data, rec, ev), FrameStatus::kError);
    EXPECT_EQ(ev, c.event);
  }
}

TEST(TlsRecords, HandshakeMessagesAcrossRecords) {
  Bytes msgs = testing::handshake(1, Bytes(10, 0x11));
  testing::append(msgs, testing::handshake(14, {}));
  HandshakeAssembler hs(1000);
  uint8_t type = 0;
  std::span<const uint8_t> body;
  std::string_view ev;
  std::vector<uint8_t> types;
  for (uint8_t b : msgs) {
    hs.add(std::span(&b, 1));
    while (hs.next(type, body, ev) == FrameStatus::kRecord) types.push_back(type);
  }
  EXPECT_EQ(types, (std::vector<uint8_t>{1, 14}));
  EXPECT_EQ(hs.buffered(), 0u);

  HandshakeAssembler small(5);
  Bytes big = testing::handshake(11, Bytes(6, 0));
  small.add(big);
  EXPECT_EQ(small.next(type, body, ev), FrameStatus::kError);
  EXPECT_EQ(ev, "HANDSHAKE_INVALID_LENGTH");
}

TEST(TlsRecords, ByteReaderStopsAtTheEnd) {
  Bytes b = {1, 2, 3};
  ByteReader r(b);
  EXPECT_EQ(r.u16(), 0x0102);
  EXPECT_EQ(r.u16(), 0);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.bytes(1).empty());
}

}  // namespace
}  // namespace nsm4::app::tls
