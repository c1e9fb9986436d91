// apply_retention(): deletes a prefix of the chain in chunks, each chunk one
// transaction that also records the retention anchor (the last deleted row and
// its hash), then gives the freed pages back to the file system.
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <string>

#include "store/sqlite_event_store.h"

namespace nsm4::collector {

namespace {

constexpr int64_t kRetentionChunkRows = 20'000;
constexpr int kVacuumStepPages = 2048;

uint64_t file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

// The id of the newest row received before cutoff_us (0 when none): received
// times never decrease along the ids, so a binary search over the rowid finds it.
int64_t SqliteEventStore::last_id_received_before(int64_t cutoff_us) {
  sql::Stmt& next = retention_next_row_;
  auto row_at_or_after = [&](int64_t id, int64_t* row_id, int64_t* received) {
    sql::ResetOnExit reset(next);
    next.bind(1, id);
    if (!next.step()) return false;
    *row_id = next.column_int(0);
    *received = next.column_int(1);
    return true;
  };
  int64_t lo = 0;
  int64_t received = 0;
  if (!row_at_or_after(0, &lo, &received) || received >= cutoff_us) return 0;
  int64_t hi = read_head().id + 1;  // no row at or after hi is older than the cutoff
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    int64_t id = 0;
    if (row_at_or_after(mid, &id, &received) && id < hi && received < cutoff_us) {
      lo = id;
    } else {
      hi = mid;
    }
  }
  return lo;
}

// Deletes every row with id <= last_id in one transaction and moves the run's
// anchor record (*anchor_seq, 0 = not yet written) to the last deleted row.
uint64_t SqliteEventStore::delete_through(int64_t last_id, const char* reason, int64_t now_us,
                                          int64_t* anchor_seq) {
  sql::Transaction txn(wdb_, true);
  ChainHead head = read_head();
  int64_t anchor_id = 0;
  std::string anchor_hash;
  {
    sql::Stmt& s = retention_last_row_;
    sql::ResetOnExit reset(s);
    s.bind(1, last_id);
    if (!s.step()) return 0;
    anchor_id = s.column_int(0);
    anchor_hash = std::string(s.column_blob(1));
  }
  retention_delete_.bind(1, anchor_id).run();
  const auto deleted = static_cast<int64_t>(sqlite3_changes(wdb_.get()));
  // Batch records go with their events: a retry of a batch whose rows were
  // deleted is no longer recognised.
  retention_delete_batches_.bind(1, anchor_id).run();
  if (*anchor_seq == 0) {
    retention_insert_anchor_.bind(1, anchor_id)
        .bind_blob(2, anchor_hash.data(), anchor_hash.size())
        .bind(3, deleted)
        .bind(4, reason)
        .bind(5, now_us)
        .run();
    *anchor_seq = sqlite3_last_insert_rowid(wdb_.get());
  } else {
    retention_update_anchor_.bind(1, anchor_id)
        .bind_blob(2, anchor_hash.data(), anchor_hash.size())
        .bind(3, deleted)
        .bind(4, now_us)
        .bind(5, *anchor_seq)
        .run();
  }
  head.events -= deleted;
  write_head(head);
  txn.commit();
  return static_cast<uint64_t>(deleted);
}

// Pages in use: the file minus its free list (deleted rows free pages at once;
// the file shrinks at the incremental vacuum).
uint64_t SqliteEventStore::database_bytes_in_use() {
  const int64_t pages = wdb_.pragma_int("page_count") - wdb_.pragma_int("freelist_count");
  return static_cast<uint64_t>(std::max<int64_t>(0, pages) * wdb_.pragma_int("page_size"));
}

// Gives free pages back to the file system a few megabytes at a time (each
// step one short write transaction, so that the writer gets in between), then
// empties the WAL.
void SqliteEventStore::shrink_file() {
  int64_t free_pages = INT64_MAX;
  for (;;) {
    std::lock_guard<std::mutex> lock(write_mu_);
    const int64_t now_free = wdb_.pragma_int("freelist_count");
    // Stops when done, or when nothing moves (a file made without auto-vacuum).
    if (now_free == 0 || now_free >= free_pages) break;
    free_pages = now_free;
    wdb_.exec(("PRAGMA incremental_vacuum(" + std::to_string(kVacuumStepPages) + ")").c_str());
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  sqlite3_wal_checkpoint_v2(wdb_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

RetentionReport SqliteEventStore::apply_retention(int64_t now_us) {
  RetentionReport rep;
  int64_t age_anchor = 0;
  int64_t size_anchor = 0;
  auto first_row = [&]() {
    sql::ResetOnExit reset(retention_next_row_);
    retention_next_row_.bind(1, 0);
    return retention_next_row_.step() ? retention_next_row_.column_int(0) : int64_t{0};
  };

  if (opt_.retention_max_age_sec > 0 && opt_.retention_max_age_sec < now_us / 1'000'000) {
    const int64_t cutoff = now_us - opt_.retention_max_age_sec * 1'000'000;
    for (;;) {
      std::lock_guard<std::mutex> lock(write_mu_);
      const int64_t cut = last_id_received_before(cutoff);
      const int64_t first = first_row();
      if (cut == 0 || first == 0 || cut < first) break;
      const uint64_t n = delete_through(std::min(cut, first + kRetentionChunkRows - 1), "age",
                                        now_us, &age_anchor);
      if (n == 0) break;
      rep.rows_deleted_by_age += n;
    }
  }

  if (opt_.retention_max_bytes > 0) {
    uint64_t wal_bytes = 0;
    {
      std::lock_guard<std::mutex> lock(write_mu_);
      // A truncating checkpoint first, so that the WAL counts only what it must
      // (readers may hold it back); its size is then taken as fixed, since the
      // deletes below grow it only until the next checkpoint.
      sqlite3_wal_checkpoint_v2(wdb_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
      wal_bytes = file_size(opt_.path + "-wal");
    }
    const uint64_t target = opt_.retention_max_bytes / 10 * 9;
    bool over = file_size(opt_.path) + wal_bytes > opt_.retention_max_bytes;
    while (over) {
      std::lock_guard<std::mutex> lock(write_mu_);
      const uint64_t used = database_bytes_in_use() + wal_bytes;
      const int64_t events = read_head().events;
      const int64_t first = first_row();
      if (used <= target || events <= 0 || first == 0) break;
      const uint64_t per_row = std::max<uint64_t>(1, used / static_cast<uint64_t>(events));
      const auto want = static_cast<int64_t>((used - target + per_row - 1) / per_row);
      const uint64_t n =
          delete_through(first + std::clamp<int64_t>(want, 1, kRetentionChunkRows) - 1, "size",
                         now_us, &size_anchor);
      over = n > 0;
      rep.rows_deleted_by_size += n;
    }
  }

  rep.rows_deleted = rep.rows_deleted_by_age + rep.rows_deleted_by_size;
  if (rep.rows_deleted > 0) {
    std::lock_guard<std::mutex> lock(write_mu_);
    sql::ResetOnExit reset(retention_max_anchor_);
    if (retention_max_anchor_.step()) rep.new_anchor_id = retention_max_anchor_.column_int(0);
  }
  // Without a size cap, freed pages are simply reused by new rows.
  if (opt_.retention_max_bytes > 0 &&
      file_size(opt_.path) + file_size(opt_.path + "-wal") > opt_.retention_max_bytes) {
    shrink_file();
  }
  return rep;
}

}  // namespace nsm4::collector
