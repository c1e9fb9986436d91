// pcrexform:"<regex>": the buffer becomes the regex's first capture group.
// The regex (quotes mandatory, no /delimiters/ or flags) must have exactly one
// capture group. No match, or an unset group, fails the buffer (Suricata
// SIGMATCH_TRANSFORM_CAN_FAIL). Match limits are Suricata's defaults.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <memory>

#include "detect/transforms/transform_list.h"
#include "detect/transforms/transform_util.h"

namespace nsm4::detect {

namespace {

constexpr uint32_t kMatchLimit = 3500;      // SC_MATCH_LIMIT_DEFAULT
constexpr uint32_t kRecursionLimit = 1500;  // SC_MATCH_LIMIT_RECURSION_DEFAULT

struct CodeFree {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct ContextFree {
  void operator()(pcre2_match_context* c) const { pcre2_match_context_free(c); }
};
struct MatchDataFree {
  void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};

class Pcrexform final : public Transform {
 public:
  Pcrexform(std::string pattern, std::unique_ptr<pcre2_code, CodeFree> code,
            std::unique_ptr<pcre2_match_context, ContextFree> context)
      : pattern_(std::move(pattern)), code_(std::move(code)), context_(std::move(context)) {}

  void apply(std::string_view in, std::string& out) const override { try_apply(in, out); }

  bool try_apply(std::string_view in, std::string& out) const override {
    // Per call: the compiled code and context are shared by all workers.
    std::unique_ptr<pcre2_match_data, MatchDataFree> md(
        pcre2_match_data_create_from_pattern(code_.get(), nullptr));
    if (!md) return false;
    const char* subject = in.empty() ? "" : in.data();  // older PCRE2 rejects a null subject
    int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject), in.size(), 0, 0,
                         md.get(), context_.get());
    if (rc < 2) return false;  // no match, an error, or group 1 unset
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.get());
    if (ov[2] == PCRE2_UNSET || ov[3] < ov[2]) return false;
    out.append(subject + ov[2], ov[3] - ov[2]);
    return true;
  }

  std::string key() const override { return "pcrexform:\"" + pattern_ + "\""; }

 private:
  std::string pattern_;
  std::unique_ptr<pcre2_code, CodeFree> code_;
  std::unique_ptr<pcre2_match_context, ContextFree> context_;
};

std::shared_ptr<const Transform> parse(std::string_view value, std::string& err) {
  std::string_view re = transforms::trim_ws(value);
  if (!transforms::strip_quotes(re) || re.empty()) {
    err = "pcrexform: needs a regex in quotes, got " + transforms::quoted_for_error(value);
    return nullptr;
  }
  int code = 0;
  PCRE2_SIZE at = 0;
  std::unique_ptr<pcre2_code, CodeFree> compiled(
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &code, &at, nullptr));
  if (!compiled) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof msg);
    err = "pcrexform: regex " + transforms::quoted_for_error(re) + " does not compile at offset " +
          std::to_string(at) + ": " + reinterpret_cast<const char*>(msg);
    return nullptr;
  }
  uint32_t groups = 0;
  pcre2_pattern_info(compiled.get(), PCRE2_INFO_CAPTURECOUNT, &groups);
  if (groups != 1) {
    err = "pcrexform: the regex needs exactly one capture group, found " + std::to_string(groups);
    return nullptr;
  }
  pcre2_jit_compile(compiled.get(), PCRE2_JIT_COMPLETE);  // falls back to the interpreter
  std::unique_ptr<pcre2_match_context, ContextFree> context(pcre2_match_context_create(nullptr));
  if (!context) {
    err = "pcrexform: out of memory";
    return nullptr;
  }
  pcre2_set_match_limit(context.get(), kMatchLimit);
  pcre2_set_depth_limit(context.get(), kRecursionLimit);
  return std::make_shared<const Pcrexform>(std::string(re), std::move(compiled),
                                           std::move(context));
}

}  // namespace

extern const TransformDef kTransform_pcrexform{
    "pcrexform", "modify buffer via PCRE before inspection", true, parse};

}  // namespace nsm4::detect
