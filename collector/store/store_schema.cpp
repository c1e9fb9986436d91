#include "store/store_schema.h"

#include <string>

#include "store/hash_chain.h"

namespace nsm4::collector {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY,
  ts_us INTEGER NOT NULL,
  received_us INTEGER NOT NULL,
  agent TEXT NOT NULL,
  site TEXT NOT NULL,
  event_type TEXT NOT NULL,
  severity INTEGER NOT NULL,
  sid INTEGER NOT NULL,
  signature TEXT NOT NULL,
  category TEXT NOT NULL,
  src_ip TEXT NOT NULL,
  dest_ip TEXT NOT NULL,
  community_id TEXT NOT NULL,
  json TEXT NOT NULL,
  hash BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS events_alert_ts ON events(ts_us) WHERE event_type = 'alert';
CREATE INDEX IF NOT EXISTS events_alert_site_ts ON events(site, ts_us) WHERE event_type = 'alert';
CREATE INDEX IF NOT EXISTS events_alert_severity_ts ON events(severity, ts_us)
  WHERE event_type = 'alert';
CREATE INDEX IF NOT EXISTS events_alert_sid ON events(sid) WHERE event_type = 'alert';
CREATE INDEX IF NOT EXISTS events_alert_src_ip ON events(src_ip) WHERE event_type = 'alert';
CREATE INDEX IF NOT EXISTS events_alert_dest_ip ON events(dest_ip) WHERE event_type = 'alert';

CREATE TABLE IF NOT EXISTS batches(
  agent TEXT NOT NULL,
  stream TEXT NOT NULL,
  seq INTEGER NOT NULL,
  first_id INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  received_us INTEGER NOT NULL,
  PRIMARY KEY(agent, stream, seq)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batches_last_id ON batches(last_id);

CREATE TABLE IF NOT EXISTS meta(
  id INTEGER PRIMARY KEY CHECK (id = 1),
  head_id INTEGER NOT NULL,
  head_hash BLOB NOT NULL,
  head_received_us INTEGER NOT NULL,
  events INTEGER NOT NULL,
  batches INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS chain_anchors(
  seq INTEGER PRIMARY KEY,
  anchor_id INTEGER NOT NULL,
  anchor_hash BLOB NOT NULL,
  deleted INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_us INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS latest(
  agent TEXT NOT NULL,
  event_type TEXT NOT NULL,
  last_id INTEGER NOT NULL,
  PRIMARY KEY(agent, event_type)) WITHOUT ROWID;
)sql";

}  // namespace

void create_store_schema(sql::Db& db) {
  sql::Transaction txn(db, true);
  const int64_t version = db.pragma_int("user_version");
  if (version > kStoreSchemaVersion) {
    throw StoreError(db.path() + ": store schema version " + std::to_string(version) +
                     " is newer than this collector's (" + std::to_string(kStoreSchemaVersion) +
                     ")");
  }
  db.exec(kSchema);
  sql::Stmt init(db,
                 "INSERT OR IGNORE INTO meta(id, head_id, head_hash, head_received_us, events, "
                 "batches) VALUES (1, 0, ?1, 0, 0, 0)");
  const ChainHash& genesis = chain_genesis();
  init.bind_blob(1, genesis.data(), genesis.size());
  init.run();
  if (version != kStoreSchemaVersion) {
    db.exec(("PRAGMA user_version=" + std::to_string(kStoreSchemaVersion)).c_str());
  }
  txn.commit();
}

}  // namespace nsm4::collector
