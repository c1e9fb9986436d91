// nsm4-rules: the admins' rule linter.
//
//   nsm4-rules check [--json] [--var NAME=VALUE]... [--dialect auto|suricata|snort3]
//                    [--classification FILE] FILE|DIR...
//   nsm4-rules print [same options] FILE|DIR...
//
// print writes every rule as nsm4 understood it, in Suricata syntax (Snort 3
// rules translated); skipped rules are written as comments naming what they
// lack.
//
// Exit status: 0 no errors (warnings allowed), 1 errors found (syntax errors,
// unreadable files), 2 usage error.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "nsm4/common/json_writer.h"
#include "nsm4/rules/classification.h"
#include "nsm4/rules/keyword_registry.h"
#include "nsm4/rules/rule_loader.h"
#include "nsm4/rules/variables.h"
#ifdef NSM4_RULES_DETECT_TABLE
#include "detect/engine.h"
#include "detect/registry.h"
#endif

namespace {

using namespace nsm4::rules;

constexpr int kExitOk = 0;
constexpr int kExitErrors = 1;
constexpr int kExitUsage = 2;

void usage(std::FILE* to) {
  std::fprintf(
      to,
      "usage: nsm4-rules check [options] FILE|DIR...\n"
      "\n"
      "Validates Suricata and Snort 3 rule files (a directory means its *.rules\n"
      "files) and reports per file and per keyword what nsm4 loads, skips and why.\n"
      "\n"
      "options:\n"
      "  --json                   machine-readable report on stdout\n"
      "  --var NAME=VALUE         set an address or port variable, e.g.\n"
      "                           --var HOME_NET=[10.0.0.0/8] --var HTTP_PORTS=[80,8080]\n"
      "                           (also vars.address-groups.NAME=..., port-groups.NAME=...;\n"
      "                           --set is the same, as in nsm4-agent)\n"
      "  --dialect D              auto (default, per file), suricata or snort3\n"
      "  --classification FILE    classification.config to use instead of nsm4's\n"
      "  --no-warnings            do not print warnings\n"
      "\n"
      "exit status: 0 no errors, 1 errors found, 2 usage error\n");
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "nsm4-rules: %s\n", msg.c_str());
  std::fprintf(stderr, "try 'nsm4-rules --help'\n");
  return kExitUsage;
}

std::vector<std::string> expand(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return {path};
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.is_regular_file(ec) && e.path().extension() == ".rules") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

double share(size_t part, size_t whole) {
  return whole ? 100.0 * part / whole : 0.0;
}

size_t rules_in(const FileSummary& f) {
  return f.loaded + f.skipped + f.errors + f.duplicates;
}

const char* support_kind(Support s) {
  return s == Support::kAppLayerPending ? "app-layer"
         : s == Support::kUnknown       ? "unknown"
                                        : "supported";
}

std::vector<std::pair<std::string, KeywordUsage>> sorted_usage(const RuleSet& set) {
  std::vector<std::pair<std::string, KeywordUsage>> v(set.unsupported.begin(),
                                                      set.unsupported.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second.rules > b.second.rules; });
  return v;
}

void print_json(const RuleSet& set) {
  std::string out;
  nsm4::JsonWriter w(out);
  w.begin_object();
  w.key("files").begin_array();
  for (const FileSummary& f : set.files) {
    w.begin_object()
        .kv("file", f.file)
        .kv("readable", f.readable)
        .kv("dialect", dialect_name(f.dialect))
        .kv("rules", static_cast<uint64_t>(rules_in(f)))
        .kv("loaded", static_cast<uint64_t>(f.loaded))
        .kv("skipped", static_cast<uint64_t>(f.skipped))
        .kv("skipped_app_layer", static_cast<uint64_t>(f.skipped_app_layer))
        .kv("errors", static_cast<uint64_t>(f.errors))
        .kv("disabled", static_cast<uint64_t>(f.disabled))
        .kv("duplicates", static_cast<uint64_t>(f.duplicates))
        .kv("warnings", static_cast<uint64_t>(f.warnings))
        .end_object();
  }
  w.end_array();
  size_t total = 0;
  for (const FileSummary& f : set.files) total += rules_in(f);
  size_t loaded = set.total(&FileSummary::loaded);
  size_t app = set.total(&FileSummary::skipped_app_layer);
  w.key("totals")
      .begin_object()
      .kv("files", static_cast<uint64_t>(set.files.size()))
      .kv("rules", static_cast<uint64_t>(total))
      .kv("loaded", static_cast<uint64_t>(loaded))
      .kv("skipped", static_cast<uint64_t>(set.total(&FileSummary::skipped)))
      .kv("skipped_app_layer", static_cast<uint64_t>(app))
      .kv("errors", static_cast<uint64_t>(set.total(&FileSummary::errors)))
      .kv("disabled", static_cast<uint64_t>(set.total(&FileSummary::disabled)))
      .kv("duplicates", static_cast<uint64_t>(set.total(&FileSummary::duplicates)))
      .kv("warnings", static_cast<uint64_t>(set.total(&FileSummary::warnings)))
      .kv("loaded_percent", share(loaded, total))
      .kv("loaded_percent_without_app_layer", share(loaded, total - app))
      .end_object();
  w.key("unsupported").begin_array();
  for (const auto& [name, u] : sorted_usage(set)) {
    w.begin_object()
        .kv("keyword", name)
        .kv("rules", static_cast<uint64_t>(u.rules))
        .kv("kind", support_kind(u.support))
        .kv("reason", support_reason(u.support))
        .end_object();
  }
  w.end_array();
  w.key("diagnostics").begin_array();
  for (const Diagnostic& d : set.diagnostics) {
    w.begin_object()
        .kv("file", d.file)
        .kv("line", d.pos.line)
        .kv("column", d.pos.column)
        .kv("severity", d.severity == Severity::kError ? "error" : "warning")
        .kv("message", d.message)
        .end_object();
  }
  w.end_array();
  w.end_object();
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void print_text(const RuleSet& set, bool warnings) {
  for (const Diagnostic& d : set.diagnostics) {
    if (d.severity == Severity::kWarning && !warnings) continue;
    std::fprintf(stderr, "%s\n", d.format().c_str());
  }
  size_t total = 0;
  for (const FileSummary& f : set.files) {
    total += rules_in(f);
    if (!f.readable) {
      std::printf("%s: not readable\n", f.file.c_str());
      continue;
    }
    std::printf("%s: %zu loaded, %zu skipped, %zu errors, %zu disabled", f.file.c_str(), f.loaded,
                f.skipped, f.errors, f.disabled);
    if (f.duplicates) std::printf(", %zu duplicates", f.duplicates);
    std::printf(" (%s)\n", dialect_name(f.dialect));
  }
  size_t loaded = set.total(&FileSummary::loaded);
  size_t app = set.total(&FileSummary::skipped_app_layer);
  std::printf(
      "total: %zu rules in %zu files: %zu loaded (%.1f%%), %zu skipped (%zu only for app-layer "
      "keywords), %zu errors, %zu disabled, %zu duplicates, %zu warnings\n",
      total, set.files.size(), loaded, share(loaded, total), set.total(&FileSummary::skipped), app,
      set.total(&FileSummary::errors), set.total(&FileSummary::disabled),
      set.total(&FileSummary::duplicates), set.total(&FileSummary::warnings));
  std::printf("loaded share of rules not needing app-layer parsing: %.1f%%\n",
              share(loaded, total - app));
  if (!set.unsupported.empty()) {
    std::printf("skipped rules per keyword (a rule counts for each keyword it needs):\n");
    for (const auto& [name, u] : sorted_usage(set)) {
      std::printf("  %7zu  %-28s %s\n", u.rules, name.c_str(), support_reason(u.support));
    }
  }
}

// Loaded and skipped rules, in file order.
void print_rules(const RuleSet& set, bool warnings) {
  for (const Diagnostic& d : set.diagnostics) {
    if (d.severity == Severity::kWarning && !warnings) continue;
    std::fprintf(stderr, "%s\n", d.format().c_str());
  }
  struct Line {
    size_t file;
    int line;
    std::string text;
  };
  std::vector<Line> lines;
  auto file_index = [&](const std::string& f) {
    for (size_t i = 0; i < set.files.size(); ++i)
      if (set.files[i].file == f) return i;
    return set.files.size();
  };
  for (const Rule& r : set.rules)
    lines.push_back({file_index(r.file), r.pos.line, r.to_suricata()});
  for (const auto& [r, why] : set.skipped_rules) {
    std::string reasons;
    for (const std::string& w : why) reasons += (reasons.empty() ? "" : ", ") + w;
    lines.push_back(
        {file_index(r.file), r.pos.line, "# skipped (" + reasons + "): " + r.to_suricata()});
  }
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  size_t last_file = set.files.size();
  for (const Line& l : lines) {
    if (l.file != last_file) {
      std::printf("# %s\n", l.file < set.files.size() ? set.files[l.file].file.c_str() : "?");
      last_file = l.file;
    }
    std::printf("%s\n", l.text.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    usage(stderr);
    return kExitUsage;
  }
  if (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    usage(stdout);
    return kExitOk;
  }
  if (args[0] != "check" && args[0] != "print") {
    return usage_error("unknown command '" + args[0] + "' (expected 'check' or 'print')");
  }
  bool print = args[0] == "print";

  Variables vars = Variables::suricata_defaults();
  Classifications classes = Classifications::defaults();
  bool json = false, warnings = true;
  Dialect dialect = Dialect::kAuto;
  std::vector<std::string> files;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto next = [&](std::string& v) {
      if (i + 1 >= args.size()) return false;
      v = args[++i];
      return true;
    };
    std::string v;
    if (a == "--json") {
      json = true;
    } else if (a == "--no-warnings") {
      warnings = false;
    } else if (a == "-h" || a == "--help") {
      usage(stdout);
      return kExitOk;
    } else if (a == "--var" || a == "--set") {
      if (!next(v)) return usage_error("--var needs NAME=VALUE");
      std::string error;
      if (!vars.set_assignment(v, error)) return usage_error("--var: " + error);
    } else if (a == "--dialect") {
      if (!next(v)) return usage_error("--dialect needs auto, suricata or snort3");
      if (v == "auto") {
        dialect = Dialect::kAuto;
      } else if (v == "suricata") {
        dialect = Dialect::kSuricata;
      } else if (v == "snort3") {
        dialect = Dialect::kSnort3;
      } else {
        return usage_error("--dialect must be auto, suricata or snort3, not '" + v + "'");
      }
    } else if (a == "--classification") {
      if (!next(v)) return usage_error("--classification needs a file");
      std::vector<Diagnostic> diags;
      Classifications c;
      bool ok = c.load_file(v, diags);
      for (const Diagnostic& d : diags) std::fprintf(stderr, "%s\n", d.format().c_str());
      if (!ok) return kExitErrors;
      classes = std::move(c);
    } else if (a.size() > 1 && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else {
      for (std::string& f : expand(a)) files.push_back(std::move(f));
    }
  }
  if (files.empty()) return usage_error("no rule files given");

#ifdef NSM4_RULES_DETECT_TABLE
  // The agent's keyword table: the same supported keywords, the same checks.
  std::unique_ptr<KeywordRegistry> registry = nsm4::detect::make_registry();
#else
  std::unique_ptr<KeywordRegistry> registry = make_default_registry();
#endif
  ParseContext ctx;
  ctx.vars = &vars;
  ctx.registry = registry.get();
  ctx.classifications = &classes;
  ctx.dialect = dialect;
  RuleLoader loader(ctx);
  loader.keep_skipped_rules(print);
  for (const std::string& f : files) loader.load_file(f);
  const RuleSet& set = loader.rule_set();
#ifdef NSM4_RULES_DETECT_TABLE
  // Rules that parse but that the agent's compiler refuses (a relative
  // keyword without its content, a pcre flag for an app-layer buffer ...):
  // the agent skips them with the same message.
  if (!json && !print) {
    nsm4::detect::FlowbitNames names;
    size_t refused = 0;
    for (const Rule& r : set.rules) {
      nsm4::detect::CompiledRule cr;
      std::string why;
      if (nsm4::detect::compile_rule(r, names, cr, why)) continue;
      ++refused;
      if (warnings) {
        Diagnostic d{Severity::kWarning, r.file, r.pos,
                     "sid " + std::to_string(r.sid) + " is skipped by the agent: " + why};
        std::fprintf(stderr, "%s\n", d.format().c_str());
      }
    }
    if (refused)
      std::fprintf(stderr, "%zu loaded rule(s) are skipped by the agent's detection engine\n",
                   refused);
  }
#endif
  if (print) {
    print_rules(set, warnings);
  } else if (json) {
    print_json(set);
  } else {
    print_text(set, warnings);
  }
  return set.has_errors() ? kExitErrors : kExitOk;
}
