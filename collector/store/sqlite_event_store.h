#pragma once
// EventStore on SQLite: one writer connection (behind write_mu_) that assigns
// row ids and extends the hash chain, and a pool of reader connections.
// Implemented in event_store.cpp (open, writes), event_queries.cpp,
// store_verify.cpp and store_retention.cpp.
#include <functional>
#include <mutex>

#include "store/event_store.h"
#include "store/hash_chain.h"
#include "store/reader_pool.h"
#include "store/sqlite_db.h"

namespace nsm4::collector {

// The single `meta` row: the chain head and the running counts, read and
// written inside each write transaction.
struct ChainHead {
  int64_t id = 0;
  ChainHash hash{};
  int64_t received_us = 0;
  int64_t events = 0;
  int64_t batches = 0;
};

class SqliteEventStore final : public EventStore {
 public:
  explicit SqliteEventStore(const StoreOptions& opt);

  StoreResult store_batch(const BatchKey& key, const std::vector<StoredEvent>& events) override;
  std::vector<StoreResult> store_batches(
      const std::vector<std::pair<BatchKey, std::vector<StoredEvent>>>& batches) override;
  std::vector<EventRow> alerts(const AlertQuery& q) override;
  std::optional<EventRow> event(int64_t id) override;
  std::optional<EventRow> latest(const std::string& agent, const std::string& event_type) override;
  VerifyReport verify() override;
  RetentionReport apply_retention(int64_t now_us) override;
  StoreStats stats() override;

 private:
  // Under write_mu_, in one IMMEDIATE transaction: reads the head, runs body,
  // writes the head back and commits (rolls back when body throws).
  void in_write_transaction(const std::function<void(ChainHead&)>& body);
  ChainHead read_head();
  void write_head(const ChainHead& head);
  void store_one(const BatchKey& key, const std::vector<StoredEvent>& events, ChainHead& head,
                 StoreResult& result);
  // Retention helpers (writer connection, write_mu_ held).
  int64_t last_id_received_before(int64_t cutoff_us);
  uint64_t delete_through(int64_t last_id, const char* reason, int64_t now_us, int64_t* anchor_seq);
  uint64_t database_bytes_in_use();
  void shrink_file();

  const StoreOptions opt_;
  std::mutex write_mu_;
  sql::Db wdb_;
  sql::Stmt read_head_;
  sql::Stmt write_head_;
  sql::Stmt find_batch_;
  sql::Stmt insert_batch_;
  sql::Stmt insert_event_;
  sql::Stmt upsert_latest_;
  sql::Stmt retention_next_row_;
  sql::Stmt retention_last_row_;
  sql::Stmt retention_delete_;
  sql::Stmt retention_delete_batches_;
  sql::Stmt retention_insert_anchor_;
  sql::Stmt retention_update_anchor_;
  sql::Stmt retention_max_anchor_;
  ChainHasher hasher_;
  ReaderPool readers_;
};

}  // namespace nsm4::collector
