// libFuzzer target for the rule language: the input is a rule file (any
// bytes). It goes through the reader, header and option parsers, the Snort 3
// translation and the loader, in both dialects; the first line is also parsed
// as an address and a port expression and as a content string, and the whole
// input as a classification.config. Nothing may crash or read out of bounds.
//
// Seeds: any .rules file (e.g. ../shared/rulesets/*/ *.rules split per rule).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "nsm4/rules/classification.h"
#include "nsm4/rules/content.h"
#include "nsm4/rules/keyword_registry.h"
#include "nsm4/rules/net_expr.h"
#include "nsm4/rules/rule_loader.h"

using namespace nsm4::rules;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  Variables vars = Variables::suricata_defaults();
  // A variable that refers to itself and one with a bad value, so the fuzzer
  // can reach those paths from rule text.
  vars.set_address("LOOP", "[$LOOP,1.2.3.4]");
  vars.set_port("BADP", "[1,x]");
  std::unique_ptr<KeywordRegistry> registry = make_default_registry();
  Classifications classes = Classifications::defaults();

  for (Dialect d : {Dialect::kAuto, Dialect::kSuricata, Dialect::kSnort3}) {
    ParseContext ctx;
    ctx.vars = &vars;
    ctx.registry = registry.get();
    ctx.classifications = &classes;
    ctx.dialect = d;
    RuleLoader loader(ctx);
    loader.load_text(text, "fuzz.rules");
    for (const Diagnostic& diag : loader.rule_set().diagnostics) (void)diag.format();
    for (const Rule& rule : loader.rule_set().rules) (void)rule.to_suricata();
  }

  std::string_view first = text.substr(0, text.find('\n'));
  AddressSet a;
  PortSet p;
  ContentValue c;
  ParseError err;
  if (parse_address_expr(first, vars, a, err)) (void)a.to_string();
  (void)parse_port_expr(first, vars, p, err);
  (void)parse_content(first, 0, c, err);

  Classifications parsed;
  std::vector<Diagnostic> diags;
  parsed.parse(text, "fuzz.config", diags);
  return 0;
}
