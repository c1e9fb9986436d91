#include "flow/community_id.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "agent/flow/flow_test_util.h"
#include "flow/flow.h"

namespace nsm4 {
namespace {

namespace fs = std::filesystem;

fs::path vectors_dir() {
  return fs::path(NSM4_SHARED_DIR) / "community-id";
}

// Checks every vector of one of the specification's baseline files.
void check_baseline(const char* file, uint16_t seed, bool base64) {
  fs::path path = vectors_dir() / file;
  if (!fs::exists(path)) GTEST_SKIP() << "test vectors not found at " << path;
  std::ifstream in(path);
  nlohmann::json vectors = nlohmann::json::parse(in);
  ASSERT_FALSE(vectors.empty());
  for (const auto& v : vectors) {
    IpAddr s = testing::ip(v["saddr"].get<std::string>().c_str());
    IpAddr d = testing::ip(v["daddr"].get<std::string>().c_str());
    auto proto = v["proto"].get<uint8_t>();
    uint16_t sp = v["sport"].is_null() ? 0 : v["sport"].get<uint16_t>();
    uint16_t dp = v["dport"].is_null() ? 0 : v["dport"].get<uint16_t>();
    EXPECT_EQ(community_id_v1(s, d, proto, sp, dp, seed, base64),
              v["communityid"].get<std::string>())
        << v.dump();
  }
}

TEST(CommunityId, BaselineDefault) {
  check_baseline("baseline_deflt.json", 0, true);
}
TEST(CommunityId, BaselineSeed1) {
  check_baseline("baseline_seed1.json", 1, true);
}
TEST(CommunityId, BaselineHex) {
  check_baseline("baseline_nob64.json", 0, false);
}

// Vectors from the spec (baseline_deflt.json), restated so that the ordering
// rules are tested even where the shared directory is absent.
TEST(CommunityId, SameForBothDirections) {
  IpAddr a = testing::ip("128.232.110.120"), b = testing::ip("66.35.250.204");
  EXPECT_EQ(community_id_v1(a, b, 6, 34855, 80), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
  EXPECT_EQ(community_id_v1(b, a, 6, 80, 34855), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
}

TEST(CommunityId, IcmpRequestAndReplyMatch) {
  IpAddr a = testing::ip("192.168.0.89"), b = testing::ip("192.168.0.1");
  // Echo request (type 8, code 0) and the reply (type 0, code 0).
  EXPECT_EQ(community_id_v1(a, b, 1, 8, 0), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
  EXPECT_EQ(community_id_v1(b, a, 1, 0, 0), "1:X0snYXpgwiv9TZtqg64sgzUn6Dk=");
}

TEST(CommunityId, IcmpOneWayKeepsDirection) {
  IpAddr a = testing::ip("10.0.0.1"), b = testing::ip("10.0.0.2");
  EXPECT_EQ(community_id_v1(a, b, 1, 11, 0), "1:YHxtAirCG//0OzkcVAukqKQN9xM=");
  EXPECT_NE(community_id_v1(b, a, 1, 11, 0), "1:YHxtAirCG//0OzkcVAukqKQN9xM=");
}

TEST(CommunityId, PortlessProtocolIgnoresPorts) {
  IpAddr a = testing::ip("10.1.12.1"), b = testing::ip("10.1.12.2");
  EXPECT_EQ(community_id_v1(a, b, 46, 0, 0), "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
  EXPECT_EQ(community_id_v1(b, a, 46, 5, 9), "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw=");
}

TEST(CommunityId, FromFlowUsesIcmpTypeAndCode) {
  Flow f;
  f.key.src = testing::ip("fe80::200:86ff:fe05:80da");
  f.key.dst = testing::ip("fe80::260:97ff:fe07:69ea");
  f.key.proto = 58;
  f.key.sport = 135;  // flow keying: type and counterpart
  f.key.dport = 136;
  f.icmp_type = 135;
  f.icmp_code = 0;
  EXPECT_EQ(flow_community_id(f), "1:dGHyGvjMfljg6Bppwm3bg0LO8TY=");
  Flow t;
  t.key.src = testing::ip("2001:470:e5bf:dead:4957:2174:e82c:4887");
  t.key.dst = testing::ip("2607:f8b0:400c:c03::1a");
  t.key.proto = 6;
  t.key.sport = 63943;
  t.key.dport = 25;
  EXPECT_EQ(flow_community_id(t), "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
  EXPECT_EQ(flow_community_id(t, 1), "1:eJYTW6AOzFLlSUoESovMjnu7rMw=");
}

}  // namespace
}  // namespace nsm4
