#pragma once
// The durable event store: one SQLite file in WAL mode. Batches are stored
// whole in one transaction, at most once per (agent, stream, seq), and every
// row extends a SHA-256 hash chain so that an altered, inserted or deleted row
// is detected by verify(). Thread-safe: one writer connection behind a group
// commit (StoreWriter), readers on their own connections.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store_error.h"
#include "store/stored_event.h"

namespace nsm4::collector {

struct StoreOptions {
  std::string path;                   // SQLite file; created with its schema when absent
  int64_t retention_max_age_sec = 0;  // 0 = keep forever
  uint64_t retention_max_bytes = 0;   // 0 = no size cap (database + WAL)
  bool synchronous_full = true;       // fsync at each commit (the ack means durable)
};

struct BatchKey {
  std::string agent;   // authenticated agent name
  std::string site;    // the agent's site (from the registry, never from the events)
  std::string stream;  // "" = no batch id: never deduplicated
  uint64_t seq = 0;
};

struct StoreResult {
  bool duplicate = false;
  uint64_t stored = 0;
  int64_t first_id = 0;  // row ids of the stored events (0 when none)
  int64_t last_id = 0;
};

struct AlertQuery {
  std::optional<std::string> site;
  std::optional<std::string> agent;
  std::optional<int64_t> from_us;   // inclusive, event time
  std::optional<int64_t> to_us;     // exclusive
  std::optional<int> max_severity;  // 1 = only high; 2 = high and medium; ...
  std::optional<int64_t> sid;
  std::optional<std::string> address;  // matches src_ip or dest_ip
  std::optional<std::string> text;     // substring of signature or category
  std::optional<int64_t> before_id;    // cursor: rows with id < before_id (newest first)
  int limit = 100;                     // capped at 1000
};

struct EventRow {
  int64_t id = 0;
  std::string agent;
  std::string site;
  int64_t ts_us = 0;
  std::string json;
};

struct VerifyReport {
  bool ok = true;
  uint64_t rows_checked = 0;
  int64_t first_id = 0;   // first row checked (after retention: anchor_id + 1); 0 when none
  int64_t last_id = 0;    // last row checked
  int64_t anchor_id = 0;  // rows up to this id were deleted by retention (0: none)
  std::string head_hash;  // hex; noting it outside the store also catches a re-hashed chain
  // "row 1234: content does not match its hash", "rows 10..12 missing", ... (at most
  // 100 listed, then "... and N more problems")
  std::vector<std::string> problems;
};

struct RetentionReport {
  uint64_t rows_deleted = 0;
  int64_t new_anchor_id = 0;  // rows up to this id are now removed by retention (0: none now)
  uint64_t rows_deleted_by_age = 0;
  uint64_t rows_deleted_by_size = 0;
};

struct StoreStats {
  uint64_t events = 0;      // rows held now
  uint64_t batches = 0;     // batches stored since the store was created (duplicates excluded)
  uint64_t file_bytes = 0;  // database + WAL
};

class EventStore {
 public:
  // Opens (creating when absent) the store. Throws StoreError with the path and
  // SQLite's message.
  static std::unique_ptr<EventStore> open(const StoreOptions& opt);
  virtual ~EventStore() = default;

  // Stores a batch in one transaction (commit is durable before return).
  // Throws StoreError on I/O failure; nothing of the batch is then stored.
  virtual StoreResult store_batch(const BatchKey& key, const std::vector<StoredEvent>& events) = 0;
  // Several batches in one transaction (group commit); results in order.
  virtual std::vector<StoreResult> store_batches(
      const std::vector<std::pair<BatchKey, std::vector<StoredEvent>>>& batches) = 0;

  // Alerts only (event_type = "alert"), newest first.
  virtual std::vector<EventRow> alerts(const AlertQuery& q) = 0;
  virtual std::optional<EventRow> event(int64_t id) = 0;
  // The newest event of this type from this agent (the last heartbeat after a restart).
  virtual std::optional<EventRow> latest(const std::string& agent,
                                         const std::string& event_type) = 0;
  virtual VerifyReport verify() = 0;
  // Deletes the oldest rows (always a prefix of the chain, recorded as an anchor
  // so that verify() still holds): by age, rows *received* (collector clock)
  // more than retention_max_age_sec before now_us; by size, while database +
  // WAL exceed retention_max_bytes, down to 90% of it. Works in chunks, so the
  // writer is never blocked long; returns space to the file system.
  virtual RetentionReport apply_retention(int64_t now_us) = 0;
  virtual StoreStats stats() = 0;
};

}  // namespace nsm4::collector
