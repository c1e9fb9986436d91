// libFuzzer target for the collector's ingest path: Content-Encoding decoding,
// the NDJSON batch parser and its single-pass EVE scanner, the heartbeat
// reader, and the query API's target and time parsers.
//
// Input format (tests/fuzz/make_corpus.py --ingest writes seeds in it):
//   byte 0   bit 0: the rest is gzip (decoded with a 1 MiB cap first)
//            bit 1: small limits (64-byte lines, nesting 8) instead of 4096 / 32
//   then     the request body
// Oracle: every line the scanner accepts must be a JSON object to nlohmann
// with the same event_type, and a body without a newline must be judged JSON
// or not JSON the same way by both (nlohmann's quirks aside: NUL ends its
// input, a leading byte-order mark is skipped).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/api_common.h"
#include "api/query_params.h"
#include "ingest/agent_health.h"
#include "ingest/content_decoding.h"
#include "ingest/eve_line_scanner.h"
#include "ingest/ndjson_batch.h"

using namespace nsm4::collector;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool small = (flags & 2) != 0;

  std::string error;
  if (auto t = parse_target(body, error)) {
    for (const auto& [k, v] : t->params) (void)parse_time_param(v);
  }

  if (flags & 1) {
    const std::string enc = "gzip";
    DecodedBody d = decode_content(&enc, std::move(body), 1u << 20);
    if (d.status != DecodeStatus::kOk) return 0;
    check(d.body.size() <= (1u << 20));
    body = std::move(d.body);
  }

  NdjsonOptions opt;
  opt.max_line_bytes = small ? 64 : 4096;
  opt.max_depth = small ? 8 : 32;
  const ParsedBatch batch = parse_ndjson_batch(body, opt);
  for (const auto& ev : batch.events) {
    check(ev.json.size() <= opt.max_line_bytes);
    const auto j = nlohmann::json::parse(ev.json, nullptr, false);
    check(!j.is_discarded() && j.is_object());
    const auto type = j.find("event_type");
    check(type != j.end() && type->is_string());
    AgentHealth h;
    (void)read_heartbeat(ev.json, h);
  }
  for (const auto& r : batch.rejected) check(r.line >= 1 && !r.error.empty());

  // nlohmann takes a NUL byte for the end of its input and skips a leading
  // UTF-8 byte-order mark: no comparison then.
  const bool nlohmann_quirk =
      body.find('\0') != std::string::npos || body.rfind("\xEF\xBB\xBF", 0) == 0;
  if (!nlohmann_quirk && body.find('\n') == std::string::npos && body.size() <= 4096) {
    StoredEvent ev;
    const bool ok = scan_eve_line(body, ev, error, EveScanOptions{opt.max_depth});
    if (ok || error.find("nesting deeper") == std::string::npos) {
      const bool scanner_json = ok || error.rfind("not JSON", 0) != 0;
      check(scanner_json == nlohmann::json::accept(body));
    }
  }
  return 0;
}
