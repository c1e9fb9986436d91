// pcre: a Perl-compatible regex on the current buffer ("/re/flags", PCRE2 JIT).
#include "detect/pcre.h"
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  std::string_view v = trim(o.value);
  auto op = std::make_shared<PcreOp>();
  if (!v.empty() && v[0] == '!') {
    op->negated = true;
    v.remove_prefix(1);
  }
  v = unquote(v);
  if (v.size() < 2 || v[0] != '/') {
    err = "expected \"/regex/flags\"";
    return false;
  }
  size_t end = v.rfind('/');
  if (end == 0) {
    err = "the regex has no closing '/'";
    return false;
  }
  std::string_view re = v.substr(1, end - 1);
  std::string_view flags = v.substr(end + 1);
  uint32_t options = 0;
  for (char f : flags) {
    switch (f) {
      case 'i':
        options |= PcreFlags::caseless();
        break;
      case 's':
        options |= PcreFlags::dotall();
        break;
      case 'm':
        options |= PcreFlags::multiline();
        break;
      case 'x':
        options |= PcreFlags::extended();
        break;
      case 'A':
        options |= PcreFlags::anchored();
        op->anchored_start = true;
        break;
      case 'E':
        options |= PcreFlags::dollar_endonly();
        break;
      case 'G':
        options |= PcreFlags::ungreedy();
        break;
      case 'R':
        op->relative = true;
        break;
      case 'O':  // override match limits: ours are per worker
      case 'B':  // rawbytes
        break;
      case 'U':
      case 'I':
      case 'P':
      case 'Q':
      case 'H':
      case 'D':
      case 'M':
      case 'C':
      case 'K':
      case 'S':
      case 'Y':
      case 'V':
      case 'W':
      case 'Z':
        if (rb.validating) break;
        err = std::string("flag '") + f + "' selects an app-layer buffer: needs app-layer parsing";
        return false;
      default:
        err = std::string("unknown pcre flag '") + f + "'";
        return false;
    }
  }
  std::string cerr;
  auto prog = PcreProgram::compile(re, options, cerr);
  if (!prog) {
    err = cerr;
    return false;
  }
  op->program = std::move(prog);
  op->text = std::string(o.value);
  rb.add_op(std::move(op));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_pcre{
    "pcre", "a regex (PCRE2) on the current buffer; flags i s m x A E G R", 0, parse};

}  // namespace nsm4::detect
