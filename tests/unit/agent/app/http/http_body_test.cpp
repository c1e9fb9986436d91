#include "app/http/http_body.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace nsm4::app::http {
namespace {

// window_bits: 31 gzip, 15 zlib, -15 raw deflate.
std::string compress(const std::string& in, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(compressBound(in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void add(BodyBuffer& b, const std::string& s) {
  b.add({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(HttpBody, ContentLength) {
  uint64_t n = 0;
  EXPECT_TRUE(parse_content_length(" 46 ", n));
  EXPECT_EQ(n, 46u);
  EXPECT_FALSE(parse_content_length("4x", n));
  EXPECT_FALSE(parse_content_length("", n));
  EXPECT_FALSE(parse_content_length("-1", n));
  EXPECT_FALSE(parse_content_length("99999999999999999999", n));
}

TEST(HttpBody, ChunkSize) {
  uint64_t n = 0;
  bool ext = false;
  EXPECT_TRUE(parse_chunk_size("1a3", n, ext));
  EXPECT_EQ(n, 0x1a3u);
  EXPECT_FALSE(ext);
  EXPECT_TRUE(parse_chunk_size("8 ", n, ext));
  EXPECT_EQ(n, 8u);
  EXPECT_TRUE(parse_chunk_size("0 ; qwe3=asd3", n, ext));
  EXPECT_TRUE(ext);
  EXPECT_FALSE(parse_chunk_size("zz", n, ext));
  EXPECT_FALSE(parse_chunk_size("ffffffffffffffffff", n, ext));
}

TEST(HttpBody, Codings) {
  EXPECT_EQ(coding_of("gzip"), Coding::kGzip);
  EXPECT_EQ(coding_of(" X-GZIP "), Coding::kGzip);
  EXPECT_EQ(coding_of("deflate"), Coding::kDeflate);
  EXPECT_EQ(coding_of("br"), Coding::kIdentity);
}

class HttpBodyInflate : public ::testing::TestWithParam<std::pair<Coding, int>> {};

TEST_P(HttpBodyInflate, ByteByByte) {
  const std::string plain = "name=john&x=" + std::string(3000, 'y');
  const std::string z = compress(plain, GetParam().second);
  BodyBuffer b;
  b.start(GetParam().first, BodyLimits{});
  for (char c : z) add(b, std::string(1, c));
  EXPECT_EQ(b.data(), plain);
  EXPECT_FALSE(b.decompress_failed());
  EXPECT_EQ(b.entity_len(), z.size());
}

INSTANTIATE_TEST_SUITE_P(HttpCodings, HttpBodyInflate,
                         ::testing::Values(std::make_pair(Coding::kGzip, 31),
                                           std::make_pair(Coding::kGzip, 15),
                                           std::make_pair(Coding::kDeflate, 15),
                                           std::make_pair(Coding::kDeflate, -15)));

TEST(HttpBody, KeepLimit) {
  BodyLimits l;
  l.keep = 10;
  BodyBuffer b;
  b.start(Coding::kIdentity, l);
  add(b, "0123456789abcdef");
  EXPECT_EQ(b.data(), "0123456789");
  EXPECT_TRUE(b.truncated());
  EXPECT_EQ(b.entity_len(), 16u);
}

TEST(HttpBody, BombStops) {
  BodyLimits l;
  l.keep = 8 << 20;
  l.max_out = 1 << 20;
  BodyBuffer b;
  b.start(Coding::kGzip, l);
  add(b, compress(std::string(4 << 20, 'A'), 31));
  EXPECT_TRUE(b.bomb());
  EXPECT_LE(b.data().size(), (1u << 20) + 16384);
}

TEST(HttpBody, RatioStops) {
  BodyLimits l;
  l.keep = 8 << 20;
  l.max_out = 64 << 20;
  l.max_ratio = 100;
  BodyBuffer b;
  b.start(Coding::kGzip, l);
  add(b, compress(std::string(4 << 20, 'A'), 31));
  EXPECT_TRUE(b.bomb());
  EXPECT_LT(b.data().size(), 4u << 20);
}

TEST(HttpBody, CorruptKeptRaw) {
  BodyBuffer b;
  b.start(Coding::kGzip, BodyLimits{});
  add(b, "not gzip at all");
  EXPECT_TRUE(b.decompress_failed());
  EXPECT_EQ(b.data(), "not gzip at all");
}

TEST(HttpBody, DecompressOff) {
  BodyLimits l;
  l.decompress = false;
  BodyBuffer b;
  b.start(Coding::kGzip, l);
  const std::string z = compress("hello", 31);
  add(b, z);
  EXPECT_EQ(b.data(), z);
}

}  // namespace
}  // namespace nsm4::app::http
