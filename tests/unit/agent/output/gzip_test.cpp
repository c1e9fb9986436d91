#include "output/gzip.h"

#include <gtest/gtest.h>

namespace nsm4::forward {
namespace {

TEST(Gzip, RoundTrip) {
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "{\"event_type\":\"flow\",\"n\":" + std::to_string(i) + "}\n";
  std::string gz, back;
  ASSERT_EQ(gzip_compress(text, 1, gz), "");
  EXPECT_LT(gz.size(), text.size() / 4);
  ASSERT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
  ASSERT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  ASSERT_EQ(gzip_decompress(gz, 1 << 24, back), "");
  EXPECT_EQ(back, text);
}

TEST(Gzip, EmptyInput) {
  std::string gz, back;
  ASSERT_EQ(gzip_compress("", 6, gz), "");
  ASSERT_EQ(gzip_decompress(gz, 10, back), "");
  EXPECT_EQ(back, "");
}

TEST(Gzip, TruncatedAndOversizedAreErrors) {
  std::string text(100000, 'a');
  std::string gz, back;
  ASSERT_EQ(gzip_compress(text, 6, gz), "");
  EXPECT_NE(gzip_decompress(std::string_view(gz).substr(0, gz.size() - 6), 1 << 20, back), "");
  EXPECT_NE(gzip_decompress(gz, 1000, back), "");
  EXPECT_NE(gzip_decompress("not gzip at all", 1000, back), "");
}

}  // namespace
}  // namespace nsm4::forward
