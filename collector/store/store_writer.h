#pragma once
// Group commit in front of the EventStore: request handlers submit batches from
// any thread; one writer thread stores everything queued in one transaction
// and then calls each batch's completion (from the writer thread). Bounded:
// submit() refuses when the queue holds more than max_queued_events, and the
// caller answers 503 so the agent retries later.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/event_store.h"

namespace nsm4::collector {

class StoreWriter {
 public:
  // result is set on success; error is non-empty when the transaction failed
  // (nothing of the batch was stored).
  using Done = std::function<void(const StoreResult& result, const std::string& error)>;

  StoreWriter(EventStore& store, uint64_t max_queued_events = 1'000'000,
              uint64_t max_group_events = 100'000);
  ~StoreWriter();  // stores what is queued, then joins
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  bool submit(BatchKey key, std::vector<StoredEvent> events, Done done);
  uint64_t queued_events() const;
  uint64_t commits() const;

 private:
  void run();
  struct Item {
    BatchKey key;
    std::vector<StoredEvent> events;
    Done done;
  };
  EventStore& store_;
  const uint64_t max_queued_;
  const uint64_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  uint64_t queued_events_ = 0;
  uint64_t commits_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nsm4::collector
