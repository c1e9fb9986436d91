#include "store/store_writer.h"

#include <exception>
#include <utility>

namespace nsm4::collector {

StoreWriter::StoreWriter(EventStore& store, uint64_t max_queued_events, uint64_t max_group_events)
    : store_(store),
      max_queued_(max_queued_events),
      max_group_(max_group_events),
      thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool StoreWriter::submit(BatchKey key, std::vector<StoredEvent> events, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A batch larger than the whole bound is still taken when nothing waits,
    // so that it cannot be refused forever.
    if (stopping_ || (queued_events_ > 0 && queued_events_ + events.size() > max_queued_)) {
      return false;
    }
    queued_events_ += events.size();
    queue_.push_back(Item{std::move(key), std::move(events), std::move(done)});
  }
  cv_.notify_one();
  return true;
}

uint64_t StoreWriter::queued_events() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_events_;
}

uint64_t StoreWriter::commits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commits_;
}

void StoreWriter::run() {
  std::vector<Item> group;
  std::vector<std::pair<BatchKey, std::vector<StoredEvent>>> batches;
  for (;;) {
    uint64_t group_events = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything stored
      // At least one batch, then more while the group stays under its bound.
      do {
        group_events += queue_.front().events.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      } while (!queue_.empty() && group_events + queue_.front().events.size() <= max_group_);
    }
    batches.clear();
    batches.reserve(group.size());
    for (Item& item : group) batches.emplace_back(std::move(item.key), std::move(item.events));

    std::vector<StoreResult> results;
    std::string error;
    try {
      results = store_.store_batches(batches);
      if (results.size() != group.size()) error = "store returned a wrong number of results";
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_events_ -= group_events;
      if (error.empty()) ++commits_;
    }
    const StoreResult failed;
    for (size_t i = 0; i < group.size(); ++i) {
      if (!group[i].done) continue;
      try {
        group[i].done(error.empty() ? results[i] : failed, error);
      } catch (...) {
        // A completion that throws must not stop the writer for everyone else.
      }
    }
    group.clear();
  }
}

}  // namespace nsm4::collector
