#include "ingest/content_decoding.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace nsm4::collector {
namespace {

// window_bits 16 + 15 = gzip, 15 = zlib (HTTP "deflate").
std::string compress(const std::string& in, int window_bits = 16 + MAX_WBITS) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const std::string kText = "{\"event_type\":\"flow\"}\n{\"event_type\":\"dns\"}\n";

TEST(ContentDecoding, IdentityAndNoHeaderPassThrough) {
  EXPECT_EQ(decode_content(nullptr, kText, 10).body, kText);  // the cap is for decoding only
  const std::string identity = "Identity";
  EXPECT_EQ(decode_content(&identity, kText, 1 << 20).body, kText);
}

TEST(ContentDecoding, Gzip) {
  const std::string enc = "gzip";
  const DecodedBody d = decode_content(&enc, compress(kText), 1 << 20);
  ASSERT_EQ(d.status, DecodeStatus::kOk) << d.message;
  EXPECT_EQ(d.body, kText);
  const std::string xgzip = " X-GZIP ";
  EXPECT_EQ(decode_content(&xgzip, compress(kText), 1 << 20).body, kText);
}

TEST(ContentDecoding, ConcatenatedGzipMembers) {
  const std::string enc = "gzip";
  const DecodedBody d = decode_content(&enc, compress("a\n") + compress("b\n"), 1 << 20);
  ASSERT_EQ(d.status, DecodeStatus::kOk) << d.message;
  EXPECT_EQ(d.body, "a\nb\n");
}

TEST(ContentDecoding, LastMemberSizeBelowTheTotalStillDecodesAll) {
  // The gzip trailer's size (used to size the output) covers the last member only.
  std::string big;
  for (int i = 0; big.size() < (300u << 10); ++i) big += "{\"n\":" + std::to_string(i) + "}\n";
  const std::string enc = "gzip";
  const DecodedBody d = decode_content(&enc, compress(big) + compress("b\n"), 1 << 20);
  ASSERT_EQ(d.status, DecodeStatus::kOk) << d.message;
  EXPECT_EQ(d.body, big + "b\n");
}

TEST(ContentDecoding, Deflate) {
  const std::string enc = "deflate";
  const DecodedBody d = decode_content(&enc, compress(kText, MAX_WBITS), 1 << 20);
  ASSERT_EQ(d.status, DecodeStatus::kOk) << d.message;
  EXPECT_EQ(d.body, kText);
}

TEST(ContentDecoding, BombIsStoppedAtTheCap) {
  const std::string enc = "gzip";
  const std::string bomb = compress(std::string(64u << 20, '\0'));
  ASSERT_LT(bomb.size(), 100u << 10);
  const DecodedBody d = decode_content(&enc, bomb, 1u << 20);
  EXPECT_EQ(d.status, DecodeStatus::kTooLarge);
  EXPECT_EQ(d.message, "gzip body decodes to more than 1048576 bytes");
  // Exactly at the cap is fine.
  const std::string exact(1u << 20, 'x');
  EXPECT_EQ(decode_content(&enc, compress(exact), 1u << 20).status, DecodeStatus::kOk);
}

TEST(ContentDecoding, CorruptAndTruncated) {
  const std::string enc = "gzip";
  std::string gz = compress(kText);
  const DecodedBody truncated = decode_content(&enc, gz.substr(0, gz.size() - 6), 1 << 20);
  EXPECT_EQ(truncated.status, DecodeStatus::kCorrupt);
  EXPECT_EQ(truncated.message, "gzip body is truncated");
  EXPECT_EQ(decode_content(&enc, "plain text", 1 << 20).status, DecodeStatus::kCorrupt);
  EXPECT_EQ(decode_content(&enc, "", 1 << 20).status, DecodeStatus::kCorrupt);
  EXPECT_EQ(decode_content(&enc, gz + "trailing", 1 << 20).status, DecodeStatus::kCorrupt);
}

TEST(ContentDecoding, UnknownEncoding) {
  const std::string enc = "br";
  const DecodedBody d = decode_content(&enc, kText, 1 << 20);
  EXPECT_EQ(d.status, DecodeStatus::kUnsupportedEncoding);
  EXPECT_EQ(d.message, "unsupported Content-Encoding \"br\" (gzip, deflate or identity)");
}

}  // namespace
}  // namespace nsm4::collector
