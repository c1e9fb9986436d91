#pragma once
// Parses one logical rule into the AST.
#include <string>
#include <vector>

#include "nsm4/rules/classification.h"
#include "nsm4/rules/diagnostic.h"
#include "nsm4/rules/keyword_registry.h"
#include "nsm4/rules/rule.h"
#include "nsm4/rules/source_reader.h"
#include "nsm4/rules/variables.h"

namespace nsm4::rules {

struct ParseContext {
  const Variables* vars = nullptr;
  const KeywordRegistry* registry = nullptr;
  const Classifications* classifications = nullptr;  // nullptr: no classtype check
  Dialect dialect = Dialect::kAuto;                  // kAuto: detect per rule
  std::string file;
};

enum class ParseStatus { kLoaded, kSkipped, kError };

struct ParseOutcome {
  ParseStatus status = ParseStatus::kError;
  Rule rule;                                 // filled when loaded or skipped
  std::vector<std::string> unsupported;      // keywords (or "protocol X") that made it skip
  std::vector<Support> unsupported_support;  // parallel to unsupported
  std::vector<Diagnostic> diagnostics;       // the error, and warnings
};

ParseOutcome parse_rule(const LogicalRule& line, const ParseContext& ctx);

// Convenience for tests: one rule given as text (continuations allowed).
ParseOutcome parse_rule_text(std::string_view text, const ParseContext& ctx);

}  // namespace nsm4::rules
