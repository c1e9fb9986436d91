#include "store/hash_chain.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>

namespace nsm4::collector {
namespace {

TEST(HashChain, GenesisIsTheSha256OfTheSeed) {
  // sha256("nsm4 event store hash chain v1"), computed independently
  // (printf '%s' 'nsm4 event store hash chain v1' | sha256sum).
  const ChainHash& g = chain_genesis();
  EXPECT_EQ(chain_hash_hex(std::string_view(reinterpret_cast<const char*>(g.data()), g.size())),
            "4116a5ad2fb79d4905f61decc705f31c58deeaf676ec0f146135d45624b5a2c8");
}

TEST(HashChain, EveryFieldAndItsBoundaryCounts) {
  ChainHasher h;
  ChainRow base;
  base.id = 7;
  base.agent = "ab";
  base.site = "c";
  base.event_type = "alert";
  base.json = "{}";
  const ChainHash a = h.next(chain_genesis(), base);
  EXPECT_EQ(a, h.next(chain_genesis(), base));  // deterministic

  ChainRow moved = base;  // the same bytes, split differently between fields
  moved.agent = "a";
  moved.site = "bc";
  EXPECT_NE(a, h.next(chain_genesis(), moved));
  ChainRow other_id = base;
  other_id.id = 8;
  EXPECT_NE(a, h.next(chain_genesis(), other_id));
  ChainRow other_severity = base;
  other_severity.severity = 1;
  EXPECT_NE(a, h.next(chain_genesis(), other_severity));
  ChainRow other_received = base;
  other_received.received_us = 1;
  EXPECT_NE(a, h.next(chain_genesis(), other_received));
  EXPECT_NE(a, h.next(a, base));  // the predecessor counts
}

// The encoding written out by hand: prev, then id, ts_us, received_us, agent,
// site, event_type, severity, sid, signature, category, src_ip, dest_ip,
// community_id, json; integers 8 bytes big-endian, texts 8-byte length first.
TEST(HashChain, CanonicalEncoding) {
  ChainRow r;
  r.id = 0x0102;
  r.ts_us = -1;
  r.received_us = 3;
  r.agent = "ag";
  r.site = "s";
  r.event_type = "alert";
  r.severity = 2;
  r.sid = 9;
  r.json = "{}";
  std::string bytes(reinterpret_cast<const char*>(chain_genesis().data()), 32);
  auto u64 = [&](const std::string& eight) { bytes += eight; };
  auto text = [&](const std::string& t) {
    bytes += std::string(7, '\0') + static_cast<char>(t.size()) + t;
  };
  u64(std::string("\0\0\0\0\0\0\x01\x02", 8));
  u64(std::string(8, '\xff'));
  u64(std::string("\0\0\0\0\0\0\0\x03", 8));
  text("ag");
  text("s");
  text("alert");
  u64(std::string("\0\0\0\0\0\0\0\x02", 8));
  u64(std::string("\0\0\0\0\0\0\0\x09", 8));
  for (int i = 0; i < 5; ++i) text("");  // signature .. community_id
  text("{}");
  ChainHash expected{};
  unsigned int len = 0;
  ASSERT_EQ(EVP_Digest(bytes.data(), bytes.size(), expected.data(), &len, EVP_sha256(), nullptr),
            1);
  ChainHasher h;
  EXPECT_EQ(h.next(chain_genesis(), r), expected);
}

TEST(HashChain, StoredHashesOfAnotherLengthAreRefused) {
  ChainHash out{};
  EXPECT_FALSE(chain_hash_from("short", &out));
  EXPECT_TRUE(chain_hash_from(std::string(32, 'x'), &out));
  EXPECT_EQ(out[31], 'x');
}

}  // namespace
}  // namespace nsm4::collector
