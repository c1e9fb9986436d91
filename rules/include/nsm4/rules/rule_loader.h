#pragma once
// Loads rule files into a rule set with per-file and per-keyword summaries.
// This is what the agent, nsm4-rules and the collector call.
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "nsm4/rules/rule_parser.h"

namespace nsm4::rules {

struct FileSummary {
  std::string file;
  bool readable = true;
  Dialect dialect = Dialect::kSuricata;  // the file-level dialect (auto-detected)
  size_t loaded = 0;
  size_t skipped = 0;
  size_t skipped_app_layer = 0;  // skipped only for app-layer keywords or protocols
  size_t errors = 0;
  size_t disabled = 0;
  size_t warnings = 0;
  size_t duplicates = 0;  // same gid:sid as an earlier loaded rule: not loaded
};

struct KeywordUsage {
  Support support = Support::kUnknown;
  size_t rules = 0;  // rules skipped that use it (a rule may count for several)
};

struct RuleSet {
  std::vector<Rule> rules;  // loaded rules, in file order
  // Rules skipped for unsupported keywords, with the keywords, when the loader
  // was asked to keep them (nsm4-rules print).
  std::vector<std::pair<Rule, std::vector<std::string>>> skipped_rules;
  std::vector<FileSummary> files;
  std::map<std::string, KeywordUsage> unsupported;
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in order

  size_t total(size_t FileSummary::*field) const;
  bool has_errors() const;
};

class RuleLoader {
 public:
  // ctx.file is ignored; each loaded file sets its own.
  explicit RuleLoader(ParseContext ctx) : ctx_(std::move(ctx)) {}

  void load_file(const std::string& path);
  void load_text(std::string_view text, const std::string& origin);

  void keep_skipped_rules(bool keep) { keep_skipped_ = keep; }

  const RuleSet& rule_set() const { return set_; }
  RuleSet take() { return std::move(set_); }

 private:
  struct SidKey {
    uint32_t gid, sid;
    auto operator<=>(const SidKey&) const = default;
  };
  ParseContext ctx_;
  bool keep_skipped_ = false;
  RuleSet set_;
  struct Where {
    std::string file;
    SourcePos pos;
  };
  std::map<SidKey, Where> sids_;
};

}  // namespace nsm4::rules
