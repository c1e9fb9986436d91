#pragma once
// An NDJSON request body split into EVE lines: each non-blank line is checked
// and indexed (eve_line_scanner.h); bad lines are reported with their 1-based
// line number and the rest of the batch is kept.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "store/stored_event.h"

namespace nsm4::collector {

struct NdjsonOptions {
  uint64_t max_line_bytes = 1u << 20;  // longer lines are rejected
  int max_depth = 64;                  // JSON nesting bound per line
  int64_t default_ts_us = 0;           // ts_us of a line without "timestamp" (receipt time)
  uint64_t max_lines = 0;              // non-blank lines per batch; 0 = no limit
  size_t max_rejected_kept = 100;      // LineErrors kept (all are counted)
};

struct LineError {
  uint64_t line = 0;  // 1-based, counting blank lines too
  std::string error;
};

struct ParsedBatch {
  std::vector<StoredEvent> events;  // in line order; json is the trimmed line
  std::vector<LineError> rejected;  // in line order, the first max_rejected_kept
  uint64_t rejected_lines = 0;      // all rejected lines
  uint64_t lines = 0;               // non-blank lines
  bool too_many_lines = false;      // over max_lines: parsing stopped there
};

ParsedBatch parse_ndjson_batch(std::string_view body, const NdjsonOptions& opt);

}  // namespace nsm4::collector
