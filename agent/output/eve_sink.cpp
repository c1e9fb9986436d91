#include "output/eve_sink.h"

#include <cerrno>
#include <cstring>

namespace nsm4 {

EveSink::~EveSink() {
  if (file_) std::fflush(file_);
  if (owns_ && file_) std::fclose(file_);
}

std::string EveSink::open(const std::string& path, bool truncate) {
  path_ = path;
  if (path == "-") {
    file_ = stdout;
    owns_ = false;
    return "";
  }
  file_ = std::fopen(path.c_str(), truncate ? "w" : "a");
  if (!file_) return path + ": " + std::strerror(errno);
  owns_ = true;
  // Large buffer: lines arrive in worker-sized chunks.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  return "";
}

void EveSink::write(std::string_view lines, uint64_t event_count) {
  if (lines.empty()) return;
  std::lock_guard lock(mu_);
  if (observer_) observer_->on_eve_lines(lines, event_count);
  if (!file_) return;
  if (std::fwrite(lines.data(), 1, lines.size(), file_) != lines.size())
    write_errors_.fetch_add(1, std::memory_order_relaxed);
  events_.fetch_add(event_count, std::memory_order_relaxed);
}

void EveSink::set_observer(EveLineObserver* observer) {
  std::lock_guard lock(mu_);
  observer_ = observer;
}

void EveSink::flush() {
  std::lock_guard lock(mu_);
  if (file_ && std::fflush(file_) != 0) write_errors_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace nsm4
