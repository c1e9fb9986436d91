#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "collector/store/store_test_util.h"
#include "store/event_store.h"

namespace nsm4::collector {
namespace {

using test::key;
using test::make_event;
using test::RawDb;
using test::TempDir;

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t disk_bytes(const std::string& path) {
  uint64_t n = std::filesystem::file_size(path);
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path + "-wal", ec);
  return ec ? n : n + wal;
}

std::vector<StoredEvent> events(int n, size_t json_bytes = 0) {
  std::vector<StoredEvent> out;
  for (int i = 0; i < n; ++i) {
    StoredEvent e = make_event("flow", i, i);
    e.json.insert(e.json.size() - 1, ",\"pad\":\"" + std::string(json_bytes, 'x') + "\"");
    out.push_back(std::move(e));
  }
  return out;
}

TEST(StoreRetention, ByReceivedAge) {
  TempDir dir;
  StoreOptions opt;
  opt.path = dir.file("nsm4.db");
  opt.retention_max_age_sec = 3600;
  auto store = EventStore::open(opt);
  store->store_batch(key("a1", "s", "st", 1), events(30));
  const int64_t between = wall_us();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  store->store_batch(key("a1", "s", "st", 2), events(20));

  // An hour after the first batch arrived, not yet for the second: old event
  // times (ts_us = 0..29) do not matter, the collector's receive time does.
  EXPECT_EQ(store->apply_retention(between).rows_deleted, 0u);
  const RetentionReport r = store->apply_retention(between + 3600LL * 1'000'000 + 1);
  EXPECT_EQ(r.rows_deleted, 30u);
  EXPECT_EQ(r.rows_deleted_by_age, 30u);
  EXPECT_EQ(r.new_anchor_id, 30);
  EXPECT_FALSE(store->event(30).has_value());
  EXPECT_TRUE(store->event(31).has_value());
  EXPECT_EQ(store->stats().events, 20u);

  const VerifyReport v = store->verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
  EXPECT_EQ(v.anchor_id, 30);
  EXPECT_EQ(v.first_id, 31);
  EXPECT_EQ(v.rows_checked, 20u);

  // The deleted batch's record went with its rows; the kept one still dedups.
  EXPECT_TRUE(store->store_batch(key("a1", "s", "st", 2), events(1)).duplicate);
  EXPECT_FALSE(store->store_batch(key("a1", "s", "st", 1), events(1)).duplicate);

  // Everything older: the chain is empty after the anchor, and goes on.
  const RetentionReport all = store->apply_retention(wall_us() + 3601LL * 1'000'000);
  EXPECT_EQ(all.rows_deleted, 21u);
  EXPECT_TRUE(store->verify().ok);
  const StoreResult next = store->store_batch(key("a1", "s"), events(2));
  EXPECT_EQ(next.first_id, 52);
  const VerifyReport after = store->verify();
  EXPECT_TRUE(after.ok) << (after.problems.empty() ? "" : after.problems.front());
  EXPECT_EQ(after.rows_checked, 2u);
}

TEST(StoreRetention, TamperingAfterRetentionIsStillFound) {
  TempDir dir;
  StoreOptions opt;
  opt.path = dir.file("nsm4.db");
  opt.retention_max_age_sec = 60;
  auto store = EventStore::open(opt);
  store->store_batch(key("a1", "s"), events(10));
  const int64_t between = wall_us();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  store->store_batch(key("a1", "s"), events(10));
  ASSERT_EQ(store->apply_retention(between + 60LL * 1'000'000 + 1).rows_deleted, 10u);
  {
    RawDb raw(opt.path);
    raw.exec("DELETE FROM events WHERE id = 11");
  }
  EXPECT_EQ(store->verify().problems, std::vector<std::string>{"row 11 missing"});
  {
    RawDb raw(opt.path);
    raw.exec("UPDATE chain_anchors SET anchor_id = 11, deleted = 11");
  }
  EXPECT_EQ(store->verify().problems,
            std::vector<std::string>{"row 12: content does not match its hash"});
  {
    RawDb raw(opt.path);
    raw.exec("UPDATE chain_anchors SET deleted = 10");
  }
  EXPECT_EQ(store->verify().problems,
            (std::vector<std::string>{
                "retention record 1 (rows up to 11): says 10 rows deleted, but rows 1..11 are 11",
                "row 12: content does not match its hash"}));
}

TEST(StoreRetention, BySize) {
  TempDir dir;
  StoreOptions opt;
  opt.path = dir.file("nsm4.db");
  opt.synchronous_full = false;
  {
    auto store = EventStore::open(opt);
    for (uint64_t b = 0; b < 20; ++b) store->store_batch(key("a1", "s", "st", b), events(500, 400));
    EXPECT_GT(disk_bytes(opt.path), 4u << 20);
  }
  opt.retention_max_bytes = 2u << 20;
  auto store = EventStore::open(opt);
  const RetentionReport r = store->apply_retention(wall_us());
  EXPECT_GT(r.rows_deleted_by_size, 0u);
  EXPECT_EQ(r.rows_deleted_by_age, 0u);
  EXPECT_LE(disk_bytes(opt.path), opt.retention_max_bytes);
  const StoreStats st = store->stats();
  EXPECT_LE(st.file_bytes, opt.retention_max_bytes);
  EXPECT_GT(st.events, 0u);
  EXPECT_EQ(st.events + r.rows_deleted, 10'000u);
  EXPECT_EQ(r.new_anchor_id, static_cast<int64_t>(r.rows_deleted));
  EXPECT_TRUE(store->event(10'000).has_value());
  EXPECT_FALSE(store->event(1).has_value());
  const VerifyReport v = store->verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
  EXPECT_EQ(v.rows_checked, st.events);

  // Under the cap now: nothing more goes.
  EXPECT_EQ(store->apply_retention(wall_us()).rows_deleted, 0u);
}

TEST(StoreRetention, NoLimitsKeepEverything) {
  TempDir dir;
  StoreOptions opt;
  opt.path = dir.file("nsm4.db");
  auto store = EventStore::open(opt);
  store->store_batch(key("a1", "s"), events(10));
  EXPECT_EQ(store->apply_retention(wall_us() + 1'000'000'000'000LL).rows_deleted, 0u);
  EXPECT_EQ(store->stats().events, 10u);
}

}  // namespace
}  // namespace nsm4::collector
