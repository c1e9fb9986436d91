#include "detect/rule_set_loader.h"

#include "detect/registry.h"
#include "nsm4/rules/rule_loader.h"

namespace nsm4::detect {

LoadResult load_rule_files(const std::vector<std::string>& files, const rules::Variables& vars,
                           bool strict, FlowbitNames* names) {
  LoadResult out;
  auto registry = make_registry();
  rules::Classifications classes = rules::Classifications::defaults();
  rules::ParseContext ctx;
  ctx.vars = &vars;
  ctx.registry = registry.get();
  ctx.classifications = &classes;
  rules::RuleLoader loader(ctx);
  for (const std::string& f : files) loader.load_file(f);
  const rules::RuleSet& set = loader.rule_set();
  for (const rules::Diagnostic& d : set.diagnostics) out.messages.push_back(d.format());
  out.loaded = set.rules.size();
  out.skipped = set.total(&rules::FileSummary::skipped);
  out.errors = set.total(&rules::FileSummary::errors);
  for (const rules::FileSummary& f : set.files)
    if (!f.readable) ++out.errors;
  if (strict && set.has_errors()) return out;
  out.engine = Engine::build(set, classes, out.messages, names);
  return out;
}

}  // namespace nsm4::detect
