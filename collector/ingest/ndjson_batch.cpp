#include "ingest/ndjson_batch.h"

#include <algorithm>
#include <cstring>

#include "ingest/eve_line_scanner.h"

namespace nsm4::collector {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

void reject(ParsedBatch& batch, const NdjsonOptions& opt, uint64_t line, std::string error) {
  ++batch.rejected_lines;
  if (batch.rejected.size() < opt.max_rejected_kept)
    batch.rejected.push_back({line, std::move(error)});
}

}  // namespace

ParsedBatch parse_ndjson_batch(std::string_view body, const NdjsonOptions& opt) {
  ParsedBatch batch;
  if (body.substr(0, kUtf8Bom.size()) == kUtf8Bom) body.remove_prefix(kUtf8Bom.size());
  constexpr size_t kTypicalLine = 512;
  constexpr size_t kMaxReserve = 4096;  // a guess from the size must not allocate much up front
  batch.events.reserve(std::min(body.size() / kTypicalLine + 1, kMaxReserve));
  const EveScanOptions scan_opt{opt.max_depth};
  std::string error;
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    const void* nl = std::memchr(body.data() + pos, '\n', body.size() - pos);
    const size_t end =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - body.data()) : body.size();
    std::string_view raw = body.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty()) continue;
    if (opt.max_lines != 0 && batch.lines == opt.max_lines) {
      batch.too_many_lines = true;
      break;
    }
    ++batch.lines;
    if (raw.size() > opt.max_line_bytes) {
      reject(batch, opt, line_no,
             "line is " + std::to_string(raw.size()) + " bytes, over the limit of " +
                 std::to_string(opt.max_line_bytes));
      continue;
    }
    StoredEvent ev;
    ev.ts_us = opt.default_ts_us;
    if (!scan_eve_line(line, ev, error, scan_opt)) {
      reject(batch, opt, line_no, std::move(error));
      error.clear();
      continue;
    }
    ev.json.assign(line);
    batch.events.push_back(std::move(ev));
  }
  return batch;
}

}  // namespace nsm4::collector
