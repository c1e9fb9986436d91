#include "nsm4/rules/rule_loader.h"

#include "nsm4/rules/option_tokenizer.h"
#include "nsm4/rules/snort3.h"

namespace nsm4::rules {

namespace {

// A file is Snort 3 when any of its rules carries a Snort-3-only mark: in
// Snort 3 files most rules look like Suricata ones, but http_uri & co. mean
// something else (sticky buffer vs. content modifier), so it is decided once
// per file.
bool file_looks_like_snort3(const std::vector<LogicalRule>& rules) {
  for (const LogicalRule& r : rules) {
    const std::string& t = r.text();
    size_t open = t.find('(');
    size_t close = t.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    std::vector<RawOption> raw;
    ParseError ignored;
    if (!tokenize_options(std::string_view(t).substr(open + 1, close - open - 1), 0, raw, ignored))
      continue;
    if (looks_like_snort3(raw)) return true;
  }
  return false;
}

}  // namespace

size_t RuleSet::total(size_t FileSummary::*field) const {
  size_t n = 0;
  for (const FileSummary& f : files) n += f.*field;
  return n;
}

bool RuleSet::has_errors() const {
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::kError) return true;
  return false;
}

void RuleLoader::load_file(const std::string& path) {
  std::string text, error;
  if (!RuleFileReader::read_file(path, text, error)) {
    FileSummary f;
    f.file = path;
    f.readable = false;
    f.errors = 1;
    set_.files.push_back(f);
    set_.diagnostics.push_back({Severity::kError, path, {}, error});
    return;
  }
  load_text(text, path);
}

void RuleLoader::load_text(std::string_view text, const std::string& origin) {
  ReadResult read = RuleFileReader::read_text(text);
  FileSummary f;
  f.file = origin;
  f.disabled = read.disabled;
  ParseContext ctx = ctx_;
  ctx.file = origin;
  if (ctx.dialect == Dialect::kAuto) {
    ctx.dialect = file_looks_like_snort3(read.rules) ? Dialect::kSnort3 : Dialect::kSuricata;
  }
  f.dialect = ctx.dialect;
  for (const LogicalRule& line : read.rules) {
    ParseOutcome out = parse_rule(line, ctx);
    for (Diagnostic& d : out.diagnostics) {
      if (d.severity == Severity::kWarning) ++f.warnings;
      set_.diagnostics.push_back(std::move(d));
    }
    switch (out.status) {
      case ParseStatus::kError:
        ++f.errors;
        break;
      case ParseStatus::kSkipped:
        ++f.skipped;
        {
          bool only_app = true;
          for (Support s : out.unsupported_support)
            only_app = only_app && s == Support::kAppLayerPending;
          if (only_app) ++f.skipped_app_layer;
        }
        for (size_t i = 0; i < out.unsupported.size(); ++i) {
          KeywordUsage& u = set_.unsupported[out.unsupported[i]];
          u.support = out.unsupported_support[i];
          ++u.rules;
        }
        if (keep_skipped_) set_.skipped_rules.emplace_back(std::move(out.rule), out.unsupported);
        break;
      case ParseStatus::kLoaded: {
        SidKey key{out.rule.gid, out.rule.sid};
        auto [it, inserted] = sids_.try_emplace(key, Where{origin, out.rule.pos});
        if (!inserted) {
          ++f.duplicates;
          ++f.warnings;
          set_.diagnostics.push_back(
              {Severity::kWarning, origin, out.rule.pos,
               "duplicate sid " + std::to_string(out.rule.sid) + " (gid " +
                   std::to_string(out.rule.gid) + "), first loaded at " + it->second.file + ":" +
                   std::to_string(it->second.pos.line) + "; this one is ignored"});
          break;
        }
        ++f.loaded;
        set_.rules.push_back(std::move(out.rule));
        break;
      }
    }
  }
  set_.files.push_back(std::move(f));
}

}  // namespace nsm4::rules
