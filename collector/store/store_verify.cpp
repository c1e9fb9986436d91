// verify(): walks the whole chain in one read snapshot, from the newest
// retention anchor (or the genesis value) to the chain head kept in `meta`.
#include <string>

#include "store/sqlite_event_store.h"

namespace nsm4::collector {

namespace {

constexpr size_t kMaxListedProblems = 100;

class Problems {
 public:
  explicit Problems(VerifyReport& rep) : rep_(rep) {}
  void add(std::string text) {
    rep_.ok = false;
    if (rep_.problems.size() < kMaxListedProblems) {
      rep_.problems.push_back(std::move(text));
    } else {
      ++unlisted_;
    }
  }
  void finish() {
    if (unlisted_ > 0) {
      rep_.problems.push_back("... and " + std::to_string(unlisted_) + " more problems");
    }
  }

 private:
  VerifyReport& rep_;
  uint64_t unlisted_ = 0;
};

std::string id_range(int64_t first, int64_t last) {
  if (first == last) return "row " + std::to_string(first) + " missing";
  return "rows " + std::to_string(first) + ".." + std::to_string(last) + " missing";
}

}  // namespace

VerifyReport SqliteEventStore::verify() {
  VerifyReport rep;
  Problems problems(rep);
  auto conn = readers_.acquire();
  sql::Transaction snapshot(conn->db, false);

  sql::Stmt& meta = conn->prepare("SELECT head_id, head_hash FROM meta WHERE id = 1");
  int64_t head_id = 0;
  ChainHash head_hash{};
  {
    sql::ResetOnExit reset(meta);
    if (!meta.step()) {
      problems.add("the chain head (table meta) is missing");
      problems.finish();
      return rep;
    }
    head_id = meta.column_int(0);
    if (!chain_hash_from(meta.column_blob(1), &head_hash)) {
      problems.add("the chain head hash (table meta) is malformed");
    }
    rep.head_hash = chain_hash_hex(meta.column_blob(1));
  }

  // Retention records, oldest first: each must continue the previous one.
  int64_t anchor_id = 0;
  ChainHash prev = chain_genesis();
  sql::Stmt& anchors =
      conn->prepare("SELECT seq, anchor_id, anchor_hash, deleted FROM chain_anchors ORDER BY seq");
  {
    sql::ResetOnExit reset(anchors);
    while (anchors.step()) {
      const int64_t seq = anchors.column_int(0);
      const int64_t id = anchors.column_int(1);
      const int64_t deleted = anchors.column_int(3);
      const std::string rec =
          "retention record " + std::to_string(seq) + " (rows up to " + std::to_string(id) + ")";
      if (id <= anchor_id) {
        problems.add(rec + ": does not follow the previous record (rows up to " +
                     std::to_string(anchor_id) + ")");
      } else if (deleted != id - anchor_id) {
        problems.add(rec + ": says " + std::to_string(deleted) + " rows deleted, but rows " +
                     std::to_string(anchor_id + 1) + ".." + std::to_string(id) + " are " +
                     std::to_string(id - anchor_id));
      }
      if (!chain_hash_from(anchors.column_blob(2), &prev)) {
        problems.add(rec + ": anchor hash is malformed");
      }
      anchor_id = std::max(anchor_id, id);
    }
  }
  rep.anchor_id = anchor_id;
  if (head_id < anchor_id) {
    problems.add("chain head says row " + std::to_string(head_id) +
                 " but retention deleted rows up to " + std::to_string(anchor_id));
  }

  sql::Stmt& rows = conn->prepare(
      "SELECT id, ts_us, received_us, agent, site, event_type, severity, sid, signature, "
      "category, src_ip, dest_ip, community_id, json, hash FROM events ORDER BY id");
  sql::ResetOnExit reset(rows);
  ChainHasher hasher;
  int64_t expected = anchor_id + 1;
  int64_t last_id = anchor_id;  // the last row of the chain seen
  bool prev_known = true;       // false after a gap: the next link cannot be checked
  while (rows.step()) {
    ChainRow r;
    r.id = rows.column_int(0);
    if (r.id <= anchor_id) {
      problems.add("row " + std::to_string(r.id) + ": before the start of the chain (row " +
                   std::to_string(anchor_id + 1) + "): inserted, or the retention record altered");
      continue;
    }
    if (r.id > head_id) {
      problems.add("row " + std::to_string(r.id) + ": beyond the chain head (row " +
                   std::to_string(head_id) + "): inserted");
      continue;
    }
    if (r.id > expected) {
      problems.add(id_range(expected, r.id - 1));
      prev_known = false;
    }
    r.ts_us = rows.column_int(1);
    r.received_us = rows.column_int(2);
    r.agent = rows.column_blob(3);
    r.site = rows.column_blob(4);
    r.event_type = rows.column_blob(5);
    r.severity = rows.column_int(6);
    r.sid = rows.column_int(7);
    r.signature = rows.column_blob(8);
    r.category = rows.column_blob(9);
    r.src_ip = rows.column_blob(10);
    r.dest_ip = rows.column_blob(11);
    r.community_id = rows.column_blob(12);
    r.json = rows.column_blob(13);
    ChainHash stored{};
    ++rep.rows_checked;
    last_id = r.id;
    expected = r.id + 1;
    if (rep.first_id == 0) rep.first_id = r.id;
    if (!chain_hash_from(rows.column_blob(14), &stored)) {
      problems.add("row " + std::to_string(r.id) + ": hash missing or malformed");
      prev_known = false;
      continue;
    }
    if (prev_known && hasher.next(prev, r) != stored) {
      problems.add("row " + std::to_string(r.id) + ": content does not match its hash");
    }
    // Chaining on from the stored hash reports one altered row once.
    prev = stored;
    prev_known = true;
  }
  rep.last_id = last_id;
  if (last_id < head_id) {
    if (last_id > anchor_id) {
      problems.add("chain head says row " + std::to_string(head_id) + " but the last row is " +
                   std::to_string(last_id) + " (" + id_range(last_id + 1, head_id) + ")");
    } else {
      problems.add("chain head says row " + std::to_string(head_id) + " but no row " +
                   (anchor_id > 0
                        ? "after the retention anchor (row " + std::to_string(anchor_id) + ") "
                        : std::string()) +
                   "remains (" + id_range(anchor_id + 1, head_id) + ")");
    }
  } else if (last_id == head_id && prev_known && prev != head_hash) {
    problems.add(last_id > anchor_id
                     ? "row " + std::to_string(last_id) + ": hash differs from the chain head's"
                     : "the chain head's hash differs from the retention anchor's");
  }
  problems.finish();
  return rep;
}

}  // namespace nsm4::collector
