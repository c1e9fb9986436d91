#include "nsm4/common/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace nsm4 {
namespace {

TEST(JsonWriter, NestedObjectsAndArraysParse) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .kv("a", 1)
      .kv("b", "x\"y\\z\n")
      .key("c")
      .begin_array()
      .value(true)
      .value(uint64_t{18446744073709551615ull})
      .end_array()
      .key("d")
      .begin_object()
      .kv("e", -5)
      .end_object()
      .end_object();
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["a"], 1);
  EXPECT_EQ(j["b"], "x\"y\\z\n");
  EXPECT_EQ(j["c"][0], true);
  EXPECT_EQ(j["c"][1].get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(j["d"]["e"], -5);
}

TEST(JsonWriter, AnyBytesGiveValidJson) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  std::string out;
  JsonWriter w(out);
  w.begin_object().kv("raw", std::string_view(bytes)).end_object();
  auto j = nlohmann::json::parse(out);  // throws on invalid JSON or UTF-8
  EXPECT_EQ(j["raw"].get<std::string>().size(),
            128u + 128u * 2u);  // high bytes become U+0080..U+00FF
}

}  // namespace
}  // namespace nsm4
