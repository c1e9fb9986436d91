#pragma once
// Live rule reload, off the packet path: on request (SIGHUP) or when a rule
// file changed and then held still (polled once a second), the rule files are
// loaded and compiled
// on this thread; a set with errors is rejected (its errors go to stderr) and
// the running one stays, a good one is published to the EngineSlot.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "detect/engine_slot.h"
#include "nsm4/rules/variables.h"

namespace nsm4::detect {

class RuleReloader {
 public:
  using LogFn = std::function<void(const std::string&)>;
  // request: set (e.g. by a SIGHUP handler) to ask for a reload; cleared here.
  // names: the flowbit ids of the running set (the same object the first
  // load used), or nullptr.
  RuleReloader(std::vector<std::string> files, rules::Variables vars, EngineSlot& slot,
               std::atomic<bool>& request, LogFn log, FlowbitNames* names = nullptr);
  ~RuleReloader();
  RuleReloader(const RuleReloader&) = delete;
  RuleReloader& operator=(const RuleReloader&) = delete;

  void start();
  void stop();
  // One check: reloads when asked or when a file changed. Returns true when a
  // new rule set was published. (The thread calls this; tests call it directly.)
  bool poll();
  uint64_t reloads() const { return reloads_; }
  uint64_t rejected() const { return rejected_; }

 private:
  struct Stamp {
    std::filesystem::file_time_type mtime{};
    uintmax_t size = 0;
    bool operator==(const Stamp&) const = default;
  };
  std::vector<Stamp> stamps() const;

  std::vector<std::string> files_;
  rules::Variables vars_;
  EngineSlot& slot_;
  std::atomic<bool>& request_;
  LogFn log_;
  FlowbitNames* names_;
  std::vector<Stamp> last_;
  std::vector<Stamp> pending_;  // changed stamps seen once, not yet stable
  std::atomic<bool> stop_{false};
  std::thread thread_;
  uint64_t reloads_ = 0, rejected_ = 0;
};

}  // namespace nsm4::detect
