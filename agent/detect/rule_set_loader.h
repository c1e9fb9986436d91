#pragma once
// Rule files -> compiled Engine, with every problem as a message for stderr.
// Used at start-up and by live reload.
#include <memory>
#include <string>
#include <vector>

#include "detect/engine.h"
#include "detect/engine_slot.h"
#include "nsm4/rules/variables.h"

namespace nsm4::detect {

struct LoadResult {
  std::shared_ptr<const Engine> engine;  // nullptr when the set is unusable
  std::vector<std::string> messages;     // errors and warnings, formatted
  size_t loaded = 0, skipped = 0, errors = 0;
  std::string digest;  // short SHA-256 of the files' contents, in order

  // For the heartbeat: the digest, the rules compiled and those left out.
  RuleSetLabel label() const;
};

// The first 12 hex digits of the SHA-256 of the files' contents (unreadable
// files count as empty).
std::string rule_files_digest(const std::vector<std::string>& files);

// strict: any syntax error rejects the whole set (live reload keeps the old
// one); otherwise bad rules are left out with an error message.
// names: flowbit ids shared by successive loads (see Engine::build).
LoadResult load_rule_files(const std::vector<std::string>& files, const rules::Variables& vars,
                           bool strict, FlowbitNames* names = nullptr);

}  // namespace nsm4::detect
