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
};

struct LineError {
  uint64_t line = 0;  // 1-based, counting blank lines too
  std::string error;
};

struct ParsedBatch {
  std::vector<StoredEvent> events;  // in line order; json is the trimmed line
  std::vector<LineError> rejected;  // in line order
  uint64_t lines = 0;               // non-blank lines
};

ParsedBatch parse_ndjson_batch(std::string_view body, const NdjsonOptions& opt);

}  // namespace nsm4::collector
