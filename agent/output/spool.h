#pragma once
// The forwarder's write-ahead spool: a directory holding every batch that the
// collector has not acknowledged yet, one gzip'd NDJSON file per batch, named
// by its sequence number:
//   <dir>/00000000000000000042-2000.ndjson.gz   (seq 42, 2000 events)
//   <dir>/stream                                 stream id + next sequence number
//   <dir>/rejected/                              batches the collector refused for good
//   <dir>/lock                                   held (flock) while an agent uses the spool
// Files are written atomically (temporary name, fsync, rename, fsync of the
// directory), so a kill -9 leaves either the whole batch or a *.part file,
// which open() removes and counts. Sequence numbers never repeat within a
// stream: the next number is persisted before the highest batch file is
// removed, and open() resumes at max(persisted, highest file + 1).
// Thread-safe: one writer (append) and one sender (oldest/acknowledge/reject).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsm4::forward {

enum class FullPolicy { kDropOldest, kBlock };

struct SpoolOptions {
  std::filesystem::path dir;
  uint64_t max_bytes = 256ull << 20;  // the batch files' total size
  FullPolicy policy = FullPolicy::kDropOldest;
  uint64_t rejected_max_files = 100;  // oldest rejected batches are deleted past this
};

struct SpoolEntry {
  uint64_t seq = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;
};

struct SpoolCounters {
  uint64_t batches = 0;  // on disk now
  uint64_t bytes = 0;
  uint64_t written_batches = 0;
  uint64_t dropped_batches = 0;  // removed or refused by the full policy, or a failed write
  uint64_t dropped_events = 0;
  uint64_t blocked_waits = 0;  // appends that had to wait for room (block policy)
  uint64_t partial_removed = 0;
  uint64_t write_errors = 0;
  uint64_t rejected_batches = 0;
};

enum class AppendResult {
  kStored,
  kDropped,     // block policy, spool still full after end_blocking(): the new batch is dropped
  kWriteError,  // the file could not be written: the batch is dropped
};

class Spool {
 public:
  Spool() = default;
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Creates or reopens the spool. Returns "" or why it cannot be used; notes
  // (partial files removed, a new stream started) go to `notes`.
  std::string open(const SpoolOptions& opt, std::vector<std::string>* notes = nullptr);

  const std::string& stream() const { return stream_; }
  const std::filesystem::path& dir() const { return opt_.dir; }
  uint64_t next_seq() const;

  // Stores one gzip'd batch. When the spool is full, drop-oldest deletes the
  // oldest batches (never the one being sent), block waits for room.
  AppendResult append(std::string_view gzip_body, uint64_t events, std::string* error = nullptr);

  // The oldest batch, marked as being sent; waits up to `wait` for one.
  // nullopt when there is none or after interrupt().
  std::optional<SpoolEntry> oldest(std::chrono::milliseconds wait);
  // Reads a batch's file.
  std::string read(const SpoolEntry& e, std::string& body) const;
  // After the collector's 2xx: the batch is deleted.
  std::string acknowledge(uint64_t seq);
  // After a permanent refusal: the batch moves to rejected/ (capped).
  std::string reject(uint64_t seq);

  // From now on a full spool under the block policy drops the new batch
  // instead of waiting (shutdown), and oldest() stops waiting.
  void interrupt();
  // Waits until no batch is left or the deadline passes; true when empty.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

  SpoolCounters counters() const;
  // Paths, for tests and for handing the directory to the run-as user.
  std::filesystem::path rejected_dir() const { return opt_.dir / "rejected"; }
  static std::string file_name(uint64_t seq, uint64_t events);

 private:
  std::string persist_next_locked(uint64_t next);
  std::string remove_locked(uint64_t seq, const std::filesystem::path* move_to);
  void trim_rejected_locked();

  SpoolOptions opt_;
  int dir_fd_ = -1;
  int lock_fd_ = -1;
  std::string stream_;
  mutable std::mutex mu_;
  std::condition_variable changed_;  // batches added or removed, interrupt
  std::map<uint64_t, SpoolEntry> entries_;
  uint64_t bytes_ = 0;
  uint64_t next_seq_ = 0;
  uint64_t persisted_next_ = 0;
  std::optional<uint64_t> in_flight_;
  bool interrupted_ = false;
  SpoolCounters counters_;
};

}  // namespace nsm4::forward
