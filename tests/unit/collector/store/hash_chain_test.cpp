#include "store/hash_chain.h"

#include <gtest/gtest.h>

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

TEST(HashChain, StoredHashesOfAnotherLengthAreRefused) {
  ChainHash out{};
  EXPECT_FALSE(chain_hash_from("short", &out));
  EXPECT_TRUE(chain_hash_from(std::string(32, 'x'), &out));
  EXPECT_EQ(out[31], 'x');
}

}  // namespace
}  // namespace nsm4::collector
