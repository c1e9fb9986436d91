#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "store/sqlite_event_store.h"
#include "store/store_schema.h"

namespace nsm4::collector {

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

sql::DbOptions writer_options(const StoreOptions& opt) {
  sql::DbOptions o;
  o.synchronous_full = opt.synchronous_full;
  o.cache_kib = 64 * 1024;
  return o;
}

sql::DbOptions reader_options(const StoreOptions& opt) {
  sql::DbOptions o;
  o.synchronous_full = opt.synchronous_full;
  o.read_only = true;
  return o;
}

sql::Db open_writer(const StoreOptions& opt) {
  if (opt.path.empty()) throw StoreError("store: no path configured");
  sql::Db db = sql::Db::open(opt.path, writer_options(opt));
  // Fewer, larger checkpoints (~16 MB of WAL whatever the file's page size):
  // a checkpoint fsyncs the database file.
  constexpr int64_t kCheckpointBytes = 16 << 20;
  const int64_t page_size = std::max<int64_t>(512, db.pragma_int("page_size"));
  db.exec(("PRAGMA wal_autocheckpoint=" + std::to_string(kCheckpointBytes / page_size)).c_str());
  db.exec("PRAGMA journal_size_limit=67108864");
  create_store_schema(db);
  return db;
}

}  // namespace

std::unique_ptr<EventStore> EventStore::open(const StoreOptions& opt) {
  return std::make_unique<SqliteEventStore>(opt);
}

SqliteEventStore::SqliteEventStore(const StoreOptions& opt)
    : opt_(opt),
      wdb_(open_writer(opt)),
      read_head_(wdb_,
                 "SELECT head_id, head_hash, head_received_us, events, batches FROM meta "
                 "WHERE id = 1"),
      write_head_(wdb_,
                  "UPDATE meta SET head_id = ?1, head_hash = ?2, head_received_us = ?3, "
                  "events = ?4, batches = ?5 WHERE id = 1"),
      find_batch_(
          wdb_,
          "SELECT first_id, last_id, count FROM batches WHERE agent = ?1 AND stream = ?2 AND "
          "seq = ?3"),
      insert_batch_(wdb_,
                    "INSERT INTO batches(agent, stream, seq, first_id, last_id, count, "
                    "received_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      insert_event_(wdb_,
                    "INSERT INTO events(id, ts_us, received_us, agent, site, event_type, "
                    "severity, sid, signature, category, src_ip, dest_ip, community_id, json, "
                    "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                    "?15)"),
      upsert_latest_(wdb_,
                     "INSERT INTO latest(agent, event_type, last_id) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT(agent, event_type) DO UPDATE SET last_id = excluded.last_id"),
      retention_next_row_(wdb_,
                          "SELECT id, received_us FROM events WHERE id >= ?1 ORDER BY id "
                          "LIMIT 1"),
      retention_last_row_(wdb_,
                          "SELECT id, hash FROM events WHERE id <= ?1 ORDER BY id DESC LIMIT 1"),
      retention_delete_(wdb_, "DELETE FROM events WHERE id <= ?1"),
      retention_delete_batches_(wdb_, "DELETE FROM batches WHERE last_id <= ?1"),
      retention_insert_anchor_(wdb_,
                               "INSERT INTO chain_anchors(anchor_id, anchor_hash, deleted, "
                               "reason, created_us) VALUES (?1, ?2, ?3, ?4, ?5)"),
      retention_update_anchor_(wdb_,
                               "UPDATE chain_anchors SET anchor_id = ?1, anchor_hash = ?2, "
                               "deleted = deleted + ?3, created_us = ?4 WHERE seq = ?5"),
      retention_max_anchor_(wdb_, "SELECT max(anchor_id) FROM chain_anchors"),
      readers_(opt.path, reader_options(opt)) {}

ChainHead SqliteEventStore::read_head() {
  sql::ResetOnExit reset(read_head_);
  if (!read_head_.step()) throw StoreError(opt_.path + ": the meta row is missing");
  ChainHead h;
  h.id = read_head_.column_int(0);
  if (!chain_hash_from(read_head_.column_blob(1), &h.hash)) {
    throw StoreError(opt_.path + ": the chain head hash in meta is malformed");
  }
  h.received_us = read_head_.column_int(2);
  h.events = read_head_.column_int(3);
  h.batches = read_head_.column_int(4);
  return h;
}

void SqliteEventStore::write_head(const ChainHead& head) {
  write_head_.bind(1, head.id)
      .bind_blob(2, head.hash.data(), head.hash.size())
      .bind(3, head.received_us)
      .bind(4, head.events)
      .bind(5, head.batches)
      .run();
}

void SqliteEventStore::in_write_transaction(const std::function<void(ChainHead&)>& body) {
  std::lock_guard<std::mutex> lock(write_mu_);
  sql::Transaction txn(wdb_, true);
  // Read inside the write lock: another process (a second collector by
  // mistake) cannot have moved the head under us.
  ChainHead head = read_head();
  // Received time never goes backwards, so that retention by age can find
  // its cut by id.
  head.received_us = std::max(now_us(), head.received_us);
  body(head);
  write_head(head);
  txn.commit();
}

StoreResult SqliteEventStore::store_batch(const BatchKey& key,
                                          const std::vector<StoredEvent>& events) {
  StoreResult result;
  in_write_transaction([&](ChainHead& head) { store_one(key, events, head, result); });
  return result;
}

std::vector<StoreResult> SqliteEventStore::store_batches(
    const std::vector<std::pair<BatchKey, std::vector<StoredEvent>>>& batches) {
  std::vector<StoreResult> results(batches.size());
  in_write_transaction([&](ChainHead& head) {
    for (size_t i = 0; i < batches.size(); ++i) {
      store_one(batches[i].first, batches[i].second, head, results[i]);
    }
  });
  return results;
}

void SqliteEventStore::store_one(const BatchKey& key, const std::vector<StoredEvent>& events,
                                 ChainHead& head, StoreResult& result) {
  const auto seq = static_cast<int64_t>(key.seq);  // stored as a bit pattern
  if (!key.stream.empty()) {
    sql::ResetOnExit reset(find_batch_);
    find_batch_.bind(1, key.agent).bind(2, key.stream).bind(3, seq);
    if (find_batch_.step()) {
      result.duplicate = true;
      if (find_batch_.column_int(2) > 0) {
        result.first_id = find_batch_.column_int(0);
        result.last_id = find_batch_.column_int(1);
      }
      return;
    }
  }
  // The newest id per event type in this batch, for latest().
  std::vector<std::pair<std::string_view, int64_t>> newest;
  for (const StoredEvent& e : events) {
    ChainRow row;
    row.id = head.id + 1;
    row.ts_us = e.ts_us;
    row.received_us = head.received_us;
    row.agent = key.agent;
    row.site = key.site;
    row.event_type = e.event_type;
    row.severity = e.severity;
    row.sid = e.sid;
    row.signature = e.signature;
    row.category = e.category;
    row.src_ip = e.src_ip;
    row.dest_ip = e.dest_ip;
    row.community_id = e.community_id;
    row.json = e.json;
    const ChainHash hash = hasher_.next(head.hash, row);
    insert_event_.bind(1, row.id)
        .bind(2, row.ts_us)
        .bind(3, row.received_us)
        .bind(4, row.agent)
        .bind(5, row.site)
        .bind(6, row.event_type)
        .bind(7, row.severity)
        .bind(8, row.sid)
        .bind(9, row.signature)
        .bind(10, row.category)
        .bind(11, row.src_ip)
        .bind(12, row.dest_ip)
        .bind(13, row.community_id)
        .bind(14, row.json)
        .bind_blob(15, hash.data(), hash.size())
        .run();
    head.id = row.id;
    head.hash = hash;
    auto it = std::find_if(newest.begin(), newest.end(),
                           [&](const auto& p) { return p.first == row.event_type; });
    if (it == newest.end()) {
      newest.emplace_back(row.event_type, row.id);
    } else {
      it->second = row.id;
    }
  }
  result.stored = events.size();
  if (!events.empty()) {
    result.first_id = head.id - static_cast<int64_t>(events.size()) + 1;
    result.last_id = head.id;
  }
  head.events += static_cast<int64_t>(events.size());
  head.batches += 1;
  if (!key.stream.empty()) {
    insert_batch_.bind(1, key.agent)
        .bind(2, key.stream)
        .bind(3, seq)
        .bind(4, result.first_id)
        // An empty batch keeps its place in the chain, so that retention drops
        // its record with the rows around it.
        .bind(5, events.empty() ? head.id : result.last_id)
        .bind(6, static_cast<int64_t>(events.size()))
        .bind(7, head.received_us)
        .run();
  }
  for (const auto& [type, id] : newest) {
    upsert_latest_.bind(1, key.agent).bind(2, type).bind(3, id).run();
  }
}

}  // namespace nsm4::collector
