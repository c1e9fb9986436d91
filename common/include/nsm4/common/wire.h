#pragma once
// The agent -> collector wire format (POST /api/v1/events), shared by the
// forwarder and the collector's ingest so that both read one definition.
//
// Request:  POST /api/v1/events
//   Authorization: Bearer <agent token>      (or a client certificate whose CN is the agent)
//   Content-Type: application/x-ndjson        one EVE JSON object per line
//   Content-Encoding: gzip                    optional
//   X-Nsm4-Batch: <stream>/<seq>              optional; without it the batch is not deduplicated
//                                             (plain Suricata EVE shippers)
// <stream> is 1-32 chars [0-9a-zA-Z_-], chosen by the agent when its spool is created
// (so a re-installed agent never collides with its earlier batches); <seq> is a decimal
// uint64, increasing by one per batch within a stream.
// Reply (200 only after the batch is durably stored):
//   {"stored":N,"duplicate":false,"rejected":[{"line":K,"error":"..."}]}
// A duplicate batch (same agent, stream and seq) is answered 200 with "duplicate":true and
// stores nothing. Errors: 400 (no valid line / bad header), 401 (no or unknown credentials),
// 403 (revoked), 411, 413 (body over the limit), 415 (unknown encoding), 503 (store failing).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nsm4::wire {

inline constexpr std::string_view kEventsPath = "/api/v1/events";
inline constexpr std::string_view kBatchHeader = "X-Nsm4-Batch";
inline constexpr std::string_view kNdjsonType = "application/x-ndjson";

struct BatchId {
  std::string stream;
  uint64_t seq = 0;
};

inline bool valid_stream_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Parses "<stream>/<seq>"; nullopt when malformed.
inline std::optional<BatchId> parse_batch_id(std::string_view v) {
  const auto slash = v.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  BatchId id;
  id.stream = std::string(v.substr(0, slash));
  if (!valid_stream_name(id.stream)) return std::nullopt;
  const std::string_view num = v.substr(slash + 1);
  if (num.empty() || num.size() > 20) return std::nullopt;
  uint64_t n = 0;
  for (char c : num) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  id.seq = n;
  return id;
}

inline std::string format_batch_id(const BatchId& id) {
  return id.stream + "/" + std::to_string(id.seq);
}

}  // namespace nsm4::wire
