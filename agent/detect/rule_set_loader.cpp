#include "detect/rule_set_loader.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>

#include "detect/registry.h"
#include "nsm4/rules/rule_loader.h"

namespace nsm4::detect {

std::string rule_files_digest(const std::vector<std::string>& files) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return "";
  char buf[64 * 1024];
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    while (in) {
      in.read(buf, sizeof buf);
      if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buf, static_cast<size_t>(in.gcount()));
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), md, &len) != 1) return "";
  constexpr unsigned kShortBytes = 6;
  std::string out;
  for (unsigned i = 0; i < kShortBytes && i < len; ++i) {
    out.push_back("0123456789abcdef"[md[i] >> 4]);
    out.push_back("0123456789abcdef"[md[i] & 15]);
  }
  return out;
}

RuleSetLabel LoadResult::label() const {
  RuleSetLabel l;
  l.version = digest;
  l.loaded = engine ? engine->stats().rules : 0;
  l.failed = skipped + errors + (engine ? engine->stats().skipped : 0);
  return l;
}

LoadResult load_rule_files(const std::vector<std::string>& files, const rules::Variables& vars,
                           bool strict, FlowbitNames* names) {
  LoadResult out;
  out.digest = rule_files_digest(files);
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
