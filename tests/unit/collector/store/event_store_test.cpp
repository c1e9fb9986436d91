#include "store/event_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "collector/store/store_test_util.h"

namespace nsm4::collector {
namespace {

using test::key;
using test::make_alert;
using test::make_event;
using test::TempDir;

StoreOptions options(const TempDir& dir) {
  StoreOptions o;
  o.path = dir.file("nsm4.db");
  return o;
}

std::vector<int64_t> ids(const std::vector<EventRow>& rows) {
  std::vector<int64_t> out;
  for (const EventRow& r : rows) out.push_back(r.id);
  return out;
}

TEST(EventStore, StoresAndReopens) {
  TempDir dir;
  std::vector<StoredEvent> first{make_event("flow", 1000, 1), make_event("dns", 2000, 2)};
  {
    auto store = EventStore::open(options(dir));
    const StoreResult r = store->store_batch(key("a1", "ward-1", "s1", 1), first);
    EXPECT_FALSE(r.duplicate);
    EXPECT_EQ(r.stored, 2u);
    EXPECT_EQ(r.first_id, 1);
    EXPECT_EQ(r.last_id, 2);
  }
  auto store = EventStore::open(options(dir));
  const StoreResult r =
      store->store_batch(key("a1", "ward-1", "s1", 2), {make_event("flow", 3000)});
  EXPECT_EQ(r.first_id, 3);
  EXPECT_EQ(r.last_id, 3);
  const auto row = store->event(2);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->json, first[1].json);
  EXPECT_EQ(row->agent, "a1");
  EXPECT_EQ(row->site, "ward-1");
  EXPECT_EQ(row->ts_us, 2000);
  EXPECT_FALSE(store->event(4).has_value());
  const StoreStats st = store->stats();
  EXPECT_EQ(st.events, 3u);
  EXPECT_EQ(st.batches, 2u);
  EXPECT_GT(st.file_bytes, 0u);
  const VerifyReport v = store->verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.rows_checked, 3u);
  EXPECT_EQ(v.first_id, 1);
  EXPECT_EQ(v.last_id, 3);
  EXPECT_EQ(v.head_hash.size(), 64u);
}

TEST(EventStore, OpenFailsWithThePathInTheMessage) {
  TempDir dir;
  StoreOptions o;
  o.path = dir.file("no-such-dir/nsm4.db");
  try {
    EventStore::open(o);
    FAIL() << "open succeeded";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(o.path), std::string::npos) << e.what();
  }
}

TEST(EventStore, DuplicateBatchStoresNothingAndReturnsTheOriginalIds) {
  TempDir dir;
  auto store = EventStore::open(options(dir));
  std::vector<StoredEvent> batch{make_event("flow", 1), make_event("flow", 2)};
  const StoreResult a = store->store_batch(key("a1", "s", "stream", 7), batch);
  const StoreResult b = store->store_batch(key("a1", "s", "stream", 7), batch);
  EXPECT_FALSE(a.duplicate);
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(b.stored, 0u);
  EXPECT_EQ(b.first_id, a.first_id);
  EXPECT_EQ(b.last_id, a.last_id);
  EXPECT_EQ(store->stats().events, 2u);

  // The same seq from another agent, or in another stream, is a new batch.
  const StoreResult other_agent = store->store_batch(key("a2", "s", "stream", 7), batch);
  EXPECT_FALSE(other_agent.duplicate);
  EXPECT_EQ(other_agent.first_id, 3);
  const StoreResult other_stream = store->store_batch(key("a1", "s", "stream2", 7), batch);
  EXPECT_FALSE(other_stream.duplicate);

  // No stream: never deduplicated.
  EXPECT_FALSE(store->store_batch(key("a1", "s"), batch).duplicate);
  EXPECT_FALSE(store->store_batch(key("a1", "s"), batch).duplicate);
  EXPECT_EQ(store->stats().events, 10u);

  // Duplicates inside one group commit, and an empty batch that is retried.
  const auto results = store->store_batches({{key("a3", "s", "x", 1), batch},
                                             {key("a3", "s", "x", 1), batch},
                                             {key("a3", "s", "x", 2), {}}});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[0].duplicate);
  EXPECT_TRUE(results[1].duplicate);
  EXPECT_EQ(results[1].first_id, results[0].first_id);
  EXPECT_FALSE(results[2].duplicate);
  EXPECT_EQ(results[2].stored, 0u);
  EXPECT_EQ(results[2].first_id, 0);
  const StoreResult empty_again = store->store_batch(key("a3", "s", "x", 2), {});
  EXPECT_TRUE(empty_again.duplicate);
  EXPECT_EQ(empty_again.first_id, 0);
  EXPECT_EQ(store->stats().events, 12u);
  EXPECT_TRUE(store->verify().ok);
}

TEST(EventStore, DuplicateSurvivesReopen) {
  TempDir dir;
  std::vector<StoredEvent> batch{make_event("flow", 1)};
  {
    auto store = EventStore::open(options(dir));
    store->store_batch(key("a1", "s", "st", 18446744073709551615u), batch);
  }
  auto store = EventStore::open(options(dir));
  EXPECT_TRUE(store->store_batch(key("a1", "s", "st", 18446744073709551615u), batch).duplicate);
  EXPECT_FALSE(store->store_batch(key("a1", "s", "st", 0), batch).duplicate);
}

class EventStoreQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = EventStore::open(options(dir_));
    // ids 1..8, in this order.
    store_->store_batch(
        key("a1", "ward-1"),
        {make_alert(100, 1, 2001, "10.0.0.1", "10.0.0.2", "ET SCAN nmap"), make_event("flow", 110),
         make_alert(120, 2, 2002, "10.0.0.3", "10.0.0.1", "ET POLICY curl"),
         make_alert(130, 3, 2001, "2001:db8::1", "10.0.0.9", "ET SCAN 100%_x", "Attempted Recon")});
    store_->store_batch(
        key("a2", "ward-2"),
        {make_alert(140, 1, 2003, "10.0.0.4", "10.0.0.5", "GPL ATTACK"), make_event("stats", 150),
         make_alert(160, 1, 2001, "10.0.0.1", "10.0.0.6", "ET SCAN nmap"),
         make_event("stats", 170)});
  }
  std::vector<int64_t> query(AlertQuery q) { return ids(store_->alerts(q)); }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(EventStoreQuery, AllAlertsNewestFirst) {
  EXPECT_EQ(query({}), (std::vector<int64_t>{7, 5, 4, 3, 1}));
}

TEST_F(EventStoreQuery, EachFilter) {
  AlertQuery q;
  q.site = "ward-1";
  EXPECT_EQ(query(q), (std::vector<int64_t>{4, 3, 1}));
  q = {};
  q.agent = "a2";
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 5}));
  q = {};
  q.from_us = 120;
  q.to_us = 160;  // exclusive
  EXPECT_EQ(query(q), (std::vector<int64_t>{5, 4, 3}));
  q = {};
  q.max_severity = 1;
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 5, 1}));
  q.max_severity = 2;
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 5, 3, 1}));
  q = {};
  q.sid = 2001;
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 4, 1}));
  q = {};
  q.address = "10.0.0.1";  // as source or destination
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 3, 1}));
  q.address = "2001:DB8:0::1";  // normalised like the stored form
  EXPECT_EQ(query(q), (std::vector<int64_t>{4}));
  q = {};
  q.text = "scan";  // signature, any case
  EXPECT_EQ(query(q), (std::vector<int64_t>{7, 4, 1}));
  q.text = "recon";  // category
  EXPECT_EQ(query(q), (std::vector<int64_t>{4}));
  q.text = "100%_";  // LIKE wildcards are literal
  EXPECT_EQ(query(q), (std::vector<int64_t>{4}));
  q.text = "0%_";
  EXPECT_EQ(query(q), (std::vector<int64_t>{4}));
  q.text = "1%x";
  EXPECT_TRUE(query(q).empty());
}

TEST_F(EventStoreQuery, FiltersCombine) {
  AlertQuery q;
  q.sid = 2001;
  q.site = "ward-1";
  q.max_severity = 2;
  EXPECT_EQ(query(q), (std::vector<int64_t>{1}));
  q.address = "10.0.0.6";
  EXPECT_TRUE(query(q).empty());
}

TEST_F(EventStoreQuery, CursorPaging) {
  AlertQuery q;
  q.limit = 2;
  std::vector<int64_t> all;
  for (int page = 0; page < 10; ++page) {
    const auto rows = store_->alerts(q);
    ASSERT_LE(rows.size(), 2u);
    if (rows.empty()) break;
    for (const EventRow& r : rows) all.push_back(r.id);
    q.before_id = rows.back().id;
  }
  EXPECT_EQ(all, (std::vector<int64_t>{7, 5, 4, 3, 1}));
  q = {};
  q.limit = 0;  // clamped to at least one row
  EXPECT_EQ(query(q).size(), 1u);
  q.limit = 1'000'000;  // capped
  EXPECT_EQ(query(q).size(), 5u);
}

TEST_F(EventStoreQuery, LatestOfAType) {
  const auto stats = store_->latest("a2", "stats");
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->id, 8);
  EXPECT_EQ(stats->ts_us, 170);
  EXPECT_FALSE(store_->latest("a1", "stats").has_value());
  const auto flow = store_->latest("a1", "flow");
  ASSERT_TRUE(flow.has_value());
  EXPECT_EQ(flow->id, 2);
  store_->store_batch(key("a1", "ward-1"), {make_event("flow", 200)});
  EXPECT_EQ(store_->latest("a1", "flow")->id, 9);
}

TEST(EventStore, ReadersRunWhileTheWriterStores) {
  TempDir dir;
  auto store = EventStore::open(options(dir));
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::atomic<int> rounds{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        try {
          const auto rows = store->alerts({});
          const VerifyReport v = store->verify();
          // A consistent snapshot: never a half-stored batch.
          if (!v.ok || v.rows_checked % 10 != 0 || rows.size() > 100) failures++;
          store->stats();
          rounds++;
        } catch (const StoreError&) {
          failures++;
        }
      }
    });
  }
  for (uint64_t b = 0; b < 100; ++b) {
    std::vector<StoredEvent> events;
    for (int i = 0; i < 10; ++i) {
      events.push_back(make_alert(i, 1, 1, "10.0.0.1", "10.0.0.2", "x"));
    }
    store->store_batch(key("a", "s", "st", b), events);
  }
  stop = true;
  for (auto& th : readers) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(rounds.load(), 0);
  EXPECT_EQ(store->alerts({}).size(), 100u);
  EXPECT_EQ(store->verify().rows_checked, 1000u);
}

TEST(EventStore, RolledBackBatchLeavesNoTrace) {
  TempDir dir;
  auto store = EventStore::open(options(dir));
  store->store_batch(key("a1", "s", "st", 1), {make_event("flow", 1)});
  {
    test::RawDb raw(dir.file("nsm4.db"));
    raw.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_type = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
  }
  EXPECT_THROW(store->store_batches({{key("a1", "s", "st", 2), {make_event("flow", 2)}},
                                     {key("a1", "s", "st", 3), {make_event("poison", 3)}}}),
               StoreError);
  // Nothing of the group stayed, so batch 2 is not a duplicate and ids go on.
  const StoreResult r = store->store_batch(key("a1", "s", "st", 2), {make_event("flow", 2)});
  EXPECT_FALSE(r.duplicate);
  EXPECT_EQ(r.first_id, 2);
  EXPECT_EQ(store->stats().events, 2u);
  EXPECT_TRUE(store->verify().ok);
}

}  // namespace
}  // namespace nsm4::collector
