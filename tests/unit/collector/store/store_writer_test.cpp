#include "store/store_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

#include "collector/store/store_test_util.h"

namespace nsm4::collector {
namespace {

using test::key;
using test::make_event;
using test::TempDir;

std::vector<StoredEvent> events(int n) {
  std::vector<StoredEvent> out;
  for (int i = 0; i < n; ++i) out.push_back(make_event("flow", i, i));
  return out;
}

class StoreWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions opt;
    opt.path = dir_.file("nsm4.db");
    opt.synchronous_full = false;
    store_ = EventStore::open(opt);
  }
  // Submits one batch whose completion holds the writer thread until
  // release() (so that what is submitted meanwhile queues up).
  void hold_writer(StoreWriter& w) {
    auto held = std::make_shared<std::promise<void>>();
    entered_ = held->get_future();
    ASSERT_TRUE(w.submit(key("holder", "s"), events(1),
                         [this, held](const StoreResult&, const std::string&) {
                           held->set_value();
                           release_.get_future().wait();
                         }));
    entered_.wait();
  }
  void release() { release_.set_value(); }

  TempDir dir_;
  std::unique_ptr<EventStore> store_;
  std::future<void> entered_;
  std::promise<void> release_;
};

struct Completion {
  std::atomic<int> calls{0};
  StoreResult result;
  std::string error;
};

TEST_F(StoreWriterTest, ManyThreadsOneGroupCommit) {
  constexpr int kThreads = 8;
  constexpr int kBatches = 50;
  constexpr int kEvents = 20;
  std::vector<Completion> done(kThreads * kBatches);
  {
    StoreWriter writer(*store_);
    hold_writer(writer);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int b = 0; b < kBatches; ++b) {
          Completion& c = done[static_cast<size_t>(t * kBatches + b)];
          const bool accepted =
              writer.submit(key("agent" + std::to_string(t), "s", "st", static_cast<uint64_t>(b)),
                            events(kEvents), [&c](const StoreResult& r, const std::string& e) {
                              c.result = r;
                              c.error = e;
                              c.calls.fetch_add(1);
                            });
          EXPECT_TRUE(accepted);
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(writer.queued_events(), static_cast<uint64_t>(kThreads * kBatches * kEvents));
    release();
  }  // the destructor stores what is queued, then joins

  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (int t = 0; t < kThreads; ++t) {
    int64_t previous = 0;
    for (int b = 0; b < kBatches; ++b) {
      const Completion& c = done[static_cast<size_t>(t * kBatches + b)];
      ASSERT_EQ(c.calls.load(), 1);
      EXPECT_EQ(c.error, "");
      EXPECT_FALSE(c.result.duplicate);
      EXPECT_EQ(c.result.stored, static_cast<uint64_t>(kEvents));
      EXPECT_EQ(c.result.last_id - c.result.first_id + 1, kEvents);
      EXPECT_GT(c.result.first_id, previous);  // in submission order per thread
      previous = c.result.last_id;
      ranges.emplace_back(c.result.first_id, c.result.last_id);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) EXPECT_GT(ranges[i].first, ranges[i - 1].second);
  EXPECT_EQ(store_->stats().events, 1u + kThreads * kBatches * kEvents);
  EXPECT_TRUE(store_->verify().ok);
}

TEST_F(StoreWriterTest, GroupsAreCommittedTogetherAndBounded) {
  StoreWriter writer(*store_, 1'000'000, 100);
  std::atomic<int> calls{0};
  hold_writer(writer);
  for (int b = 0; b < 10; ++b) {
    ASSERT_TRUE(writer.submit(key("a", "s"), events(30),
                              [&](const StoreResult&, const std::string&) { calls++; }));
  }
  release();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (calls.load() < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(calls.load(), 10);
  // The holder's commit, then 10 batches of 30 in groups of at most 100 events.
  EXPECT_EQ(writer.commits(), 1u + 4u);
  EXPECT_EQ(writer.queued_events(), 0u);
}

TEST_F(StoreWriterTest, RefusesWhenFull) {
  StoreWriter writer(*store_, 100);
  hold_writer(writer);
  std::atomic<int> calls{0};
  auto count = [&](const StoreResult&, const std::string&) { calls++; };
  EXPECT_TRUE(writer.submit(key("a", "s"), events(40), count));
  EXPECT_TRUE(writer.submit(key("a", "s"), events(40), count));
  EXPECT_FALSE(writer.submit(key("a", "s"), events(40), count));  // the caller answers 503
  EXPECT_TRUE(writer.submit(key("a", "s"), events(20), count));
  EXPECT_FALSE(writer.submit(key("a", "s"), events(1), count));
  EXPECT_EQ(writer.queued_events(), 100u);
  release();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (writer.queued_events() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(writer.queued_events(), 0u);
  // Room again; a batch larger than the bound is taken when the queue is empty.
  EXPECT_TRUE(writer.submit(key("a", "s"), events(150), count));
}

TEST_F(StoreWriterTest, FailedTransactionReportsEveryBatchAndTheWriterGoesOn) {
  {
    test::RawDb raw(dir_.file("nsm4.db"));
    raw.exec(
        "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_type = 'poison' "
        "BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
  }
  StoreWriter writer(*store_);
  hold_writer(writer);
  Completion good;
  Completion bad;
  auto record = [](Completion& c) {
    return [&c](const StoreResult& r, const std::string& e) {
      c.result = r;
      c.error = e;
      c.calls++;
    };
  };
  ASSERT_TRUE(writer.submit(key("a", "s", "st", 1), events(3), record(good)));
  ASSERT_TRUE(writer.submit(key("a", "s", "st", 2), {make_event("poison", 1)}, record(bad)));
  release();
  Completion retry;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (bad.calls.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(good.calls.load(), 1);
  ASSERT_EQ(bad.calls.load(), 1);
  EXPECT_NE(good.error.find("poisoned"), std::string::npos) << good.error;
  EXPECT_NE(bad.error.find("poisoned"), std::string::npos) << bad.error;
  EXPECT_EQ(good.result.stored, 0u);

  // The same batch again, alone: stored, and not a duplicate of the failed try.
  ASSERT_TRUE(writer.submit(key("a", "s", "st", 1), events(3), record(retry)));
  while (retry.calls.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(retry.calls.load(), 1);
  EXPECT_EQ(retry.error, "");
  EXPECT_FALSE(retry.result.duplicate);
  EXPECT_EQ(retry.result.stored, 3u);
  EXPECT_EQ(retry.result.first_id, 2);  // after the holder's row
}

}  // namespace
}  // namespace nsm4::collector
