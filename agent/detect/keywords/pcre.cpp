// pcre: a Perl-compatible regex on the current buffer ("/re/flags", PCRE2 JIT).
#include "detect/pcre.h"
#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

namespace {

// The HTTP buffer a legacy pcre flag selects (/U the URI, /H the headers ...).
const BufferDef* flag_buffer(char f) {
  switch (f) {
    case 'U':
      return find_buffer("http.uri");
    case 'I':
      return find_buffer("http.uri.raw");
    case 'P':
      return find_buffer("http.request_body");
    case 'Q':
      return find_buffer("file.data");
    case 'H':
      return find_buffer("http.header");
    case 'D':
      return find_buffer("http.header.raw");
    case 'M':
      return find_buffer("http.method");
    case 'C':
    case 'K':
      return find_buffer("http.cookie");
    case 'S':
      return find_buffer("http.stat_code");
    case 'Y':
      return find_buffer("http.stat_msg");
    case 'V':
      return find_buffer("http.user_agent");
    case 'W':
      return find_buffer("http.host");
    case 'Z':
      return find_buffer("http.host.raw");
  }
  return nullptr;
}

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  std::string_view v = trim(o.value);
  const BufferDef* buffer = nullptr;
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
        buffer = flag_buffer(f);
        break;
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
  if (buffer) return rb.move_last_to(*buffer, "pcre", err);
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_pcre{"pcre",
                                      "a regex (PCRE2) on the current buffer; flags i s m x A E G "
                                      "R, and U I P Q H D M C S Y V W Z for HTTP buffers",
                                      0, parse};

}  // namespace nsm4::detect
