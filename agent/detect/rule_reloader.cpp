#include "detect/rule_reloader.h"

#include <chrono>

#include "detect/rule_set_loader.h"

namespace nsm4::detect {

RuleReloader::RuleReloader(std::vector<std::string> files, rules::Variables vars, EngineSlot& slot,
                           std::atomic<bool>& request, LogFn log, FlowbitNames* names)
    : files_(std::move(files)),
      vars_(std::move(vars)),
      slot_(slot),
      request_(request),
      log_(std::move(log)),
      names_(names) {
  last_ = stamps();
}

RuleReloader::~RuleReloader() {
  stop();
}

std::vector<RuleReloader::Stamp> RuleReloader::stamps() const {
  std::vector<Stamp> out;
  for (const std::string& f : files_) {
    std::error_code ec;
    Stamp s;
    s.mtime = std::filesystem::last_write_time(f, ec);
    if (!ec) s.size = std::filesystem::file_size(f, ec);
    out.push_back(s);
  }
  return out;
}

bool RuleReloader::poll() {
  std::vector<Stamp> now = stamps();
  const bool asked = request_.exchange(false);
  if (!asked) {
    if (now == last_) {
      pending_.clear();
      return false;
    }
    // A file being written (an editor's save, a copy) changes between polls:
    // reload once it has held still for one poll.
    if (pending_ != now) {
      pending_ = now;
      return false;
    }
  }
  last_ = now;
  pending_.clear();
  LoadResult r = load_rule_files(files_, vars_, true, names_);
  if (!r.engine) {
    ++rejected_;
    for (const std::string& m : r.messages) log_(m);
    log_("rule reload rejected (" + std::to_string(r.errors) +
         " errors); the running rule set stays");
    return false;
  }
  for (const std::string& m : r.messages) log_(m);
  slot_.publish(r.engine, r.label());
  ++reloads_;
  log_("rules reloaded: " + std::to_string(r.engine->stats().rules) + " rules");
  return true;
}

void RuleReloader::start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    using namespace std::chrono_literals;
    int ticks = 0;
    while (!stop_.load()) {
      std::this_thread::sleep_for(100ms);
      // A SIGHUP is served within 100 ms, file changes within a second.
      if (request_.load() || ++ticks >= 10) {
        ticks = 0;
        poll();
      }
    }
  });
}

void RuleReloader::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace nsm4::detect
