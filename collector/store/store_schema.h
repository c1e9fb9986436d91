#pragma once
// The store's tables, created on open. Alert indexes are partial (event_type =
// 'alert'): the officers query alerts, and flows, DNS or stats rows then cost no
// index maintenance at ingest.
#include "store/sqlite_db.h"

namespace nsm4::collector {

inline constexpr int kStoreSchemaVersion = 1;

// Creates what is missing (events, batches, meta, chain_anchors, latest) in
// one transaction; throws StoreError when the file holds a newer schema.
void create_store_schema(sql::Db& db);

}  // namespace nsm4::collector
