// verify() against a file edited behind the store's back with a raw SQLite
// connection: each kind of tampering is found and named precisely.
#include <gtest/gtest.h>

#include "collector/store/store_test_util.h"
#include "store/event_store.h"

namespace nsm4::collector {
namespace {

using test::key;
using test::make_alert;
using test::make_event;
using test::RawDb;
using test::TempDir;

class StoreVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    opt_.path = dir_.file("nsm4.db");
    store_ = EventStore::open(opt_);
    for (int b = 0; b < 2; ++b) {  // rows 1..10
      std::vector<StoredEvent> events;
      for (int i = 0; i < 5; ++i) {
        events.push_back(make_alert(100 + b * 5 + i, 2, 1000 + i, "10.0.0.1", "10.0.0.2", "sig"));
      }
      store_->store_batch(key("a1", "s1", "st", static_cast<uint64_t>(b)), events);
    }
    ASSERT_TRUE(store_->verify().ok);
  }
  void tamper(const std::string& sql) {
    RawDb raw(opt_.path);
    raw.exec(sql);
  }
  std::vector<std::string> problems() {
    const VerifyReport r = store_->verify();
    EXPECT_EQ(r.ok, r.problems.empty());
    return r.problems;
  }

  TempDir dir_;
  StoreOptions opt_;
  std::unique_ptr<EventStore> store_;
};

using Problems = std::vector<std::string>;

TEST_F(StoreVerify, ModifiedJson) {
  tamper("UPDATE events SET json = '{\"event_type\":\"alert\",\"edited\":1}' WHERE id = 4");
  EXPECT_EQ(problems(), Problems{"row 4: content does not match its hash"});
}

TEST_F(StoreVerify, ModifiedIndexedColumn) {
  tamper("UPDATE events SET severity = 4 WHERE id = 10");
  EXPECT_EQ(problems(), Problems{"row 10: content does not match its hash"});
}

TEST_F(StoreVerify, ReorderedRows) {
  tamper(
      "UPDATE events SET id = -3 WHERE id = 3; UPDATE events SET id = 3 WHERE id = 4; "
      "UPDATE events SET id = 4 WHERE id = -3");
  // Row 5 no longer links to the hash now stored before it.
  EXPECT_EQ(problems(), (Problems{"row 3: content does not match its hash",
                                  "row 4: content does not match its hash",
                                  "row 5: content does not match its hash"}));
}

TEST_F(StoreVerify, DeletedMiddleRows) {
  tamper("DELETE FROM events WHERE id = 5");
  EXPECT_EQ(problems(), Problems{"row 5 missing"});
  tamper("DELETE FROM events WHERE id IN (7, 8)");
  EXPECT_EQ(problems(), (Problems{"row 5 missing", "rows 7..8 missing"}));
}

TEST_F(StoreVerify, DeletedOldestRows) {
  tamper("DELETE FROM events WHERE id <= 2");
  EXPECT_EQ(problems(), Problems{"rows 1..2 missing"});
}

TEST_F(StoreVerify, DeletedNewestRows) {
  tamper("DELETE FROM events WHERE id > 7");
  EXPECT_EQ(problems(),
            Problems{"chain head says row 10 but the last row is 7 (rows 8..10 missing)"});
}

TEST_F(StoreVerify, DeletedNewestRowsAndMovedTheHead) {
  tamper("DELETE FROM events WHERE id > 7; UPDATE meta SET head_id = 7");
  EXPECT_EQ(problems(), Problems{"row 7: hash differs from the chain head's"});
}

TEST_F(StoreVerify, DeletedEverything) {
  tamper("DELETE FROM events");
  EXPECT_EQ(problems(), Problems{"chain head says row 10 but no row remains (rows 1..10 missing)"});
}

TEST_F(StoreVerify, InsertedRows) {
  tamper(
      "INSERT INTO events SELECT 11, ts_us, received_us, agent, site, event_type, severity, "
      "sid, signature, category, src_ip, dest_ip, community_id, json, hash FROM events "
      "WHERE id = 10");
  EXPECT_EQ(problems(), Problems{"row 11: beyond the chain head (row 10): inserted"});
  tamper(
      "DELETE FROM events WHERE id = 11; INSERT INTO events SELECT 0, ts_us, received_us, "
      "agent, site, event_type, severity, sid, signature, category, src_ip, dest_ip, "
      "community_id, json, hash FROM events WHERE id = 1");
  EXPECT_EQ(problems(), Problems{"row 0: before the start of the chain (row 1): inserted, or the "
                                 "retention record altered"});
}

TEST_F(StoreVerify, MalformedHash) {
  tamper("UPDATE events SET hash = x'00' WHERE id = 6");
  EXPECT_EQ(problems(), Problems{"row 6: hash missing or malformed"});
}

TEST_F(StoreVerify, ManyProblemsAreCapped) {
  std::vector<StoredEvent> events;
  for (int i = 0; i < 300; ++i) events.push_back(make_event("flow", i));
  store_->store_batch(key("a1", "s1"), events);
  tamper("UPDATE events SET ts_us = ts_us + 1");
  const auto p = problems();
  ASSERT_EQ(p.size(), 101u);
  EXPECT_EQ(p.front(), "row 1: content does not match its hash");
  EXPECT_EQ(p.back(), "... and 210 more problems");
}

TEST_F(StoreVerify, StoringGoesOnAfterVerify) {
  store_->store_batch(key("a1", "s1"), {make_event("flow", 1)});
  const VerifyReport r = store_->verify();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.rows_checked, 11u);
}

}  // namespace
}  // namespace nsm4::collector
