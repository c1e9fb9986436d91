#include "output/batch_builder.h"

#include <algorithm>

namespace nsm4::forward {

BatchBuilder::BatchBuilder(uint64_t max_events, uint64_t max_bytes)
    : max_events_(std::max<uint64_t>(max_events, 1)),
      max_bytes_(std::max<uint64_t>(max_bytes, 1)) {}

void BatchBuilder::add(std::string_view lines, std::vector<Batch>& closed) {
  while (!lines.empty()) {
    const auto nl = lines.find('\n');
    std::string_view line = nl == std::string_view::npos ? lines : lines.substr(0, nl);
    lines.remove_prefix(nl == std::string_view::npos ? lines.size() : nl + 1);
    if (line.empty()) continue;  // blank lines carry no event
    add_line(line, closed);
  }
}

void BatchBuilder::add_line(std::string_view line, std::vector<Batch>& closed) {
  const uint64_t size = line.size() + 1;
  if (open_.events > 0 && open_.ndjson.size() + size > max_bytes_) close(closed);
  if (open_.events == 0) opened_at_ = Clock::now();
  open_.ndjson.append(line);
  open_.ndjson.push_back('\n');
  ++open_.events;
  if (open_.events >= max_events_ || open_.ndjson.size() >= max_bytes_) close(closed);
}

void BatchBuilder::close(std::vector<Batch>& closed) {
  if (open_.events == 0) return;
  closed.push_back(std::move(open_));
  open_ = Batch{};
}

}  // namespace nsm4::forward
