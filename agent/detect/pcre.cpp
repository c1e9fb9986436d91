#define PCRE2_CODE_UNIT_WIDTH 8
#include "detect/pcre.h"

#include <pcre2.h>

#include "detect/inspect.h"

namespace nsm4::detect {

struct PcreScratch {
  pcre2_match_data* md = nullptr;
  pcre2_match_context* mctx = nullptr;
};

PcreProgram::~PcreProgram() {
  if (code_) pcre2_code_free(static_cast<pcre2_code*>(code_));
}

std::shared_ptr<PcreProgram> PcreProgram::compile(std::string_view pattern, uint32_t options,
                                                  std::string& error) {
  int errcode = 0;
  PCRE2_SIZE erroff = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   options, &errcode, &erroff, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(errcode, buf, sizeof buf);
    error = "regex error at character " + std::to_string(erroff + 1) + ": " +
            reinterpret_cast<const char*>(buf);
    return nullptr;
  }
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  std::shared_ptr<PcreProgram> p(new PcreProgram());
  p->code_ = code;
  return p;
}

std::unique_ptr<PcreScratch, void (*)(PcreScratch*)> make_pcre_scratch() {
  auto* s = new PcreScratch();
  s->md = pcre2_match_data_create(32, nullptr);
  s->mctx = pcre2_match_context_create(nullptr);
  // Suricata's default limits (detect.pcre.match-limit*).
  pcre2_set_match_limit(s->mctx, 3500);
  pcre2_set_depth_limit(s->mctx, 1500);
  return {s, [](PcreScratch* p) {
            pcre2_match_data_free(p->md);
            pcre2_match_context_free(p->mctx);
            delete p;
          }};
}

bool pcre_search(const PcreProgram& prog, const uint8_t* buf, uint32_t len, uint32_t from,
                 InspectState& st, uint32_t& mstart, uint32_t& mend) {
  if (!st.pcre || from > len) return false;
  int rc = pcre2_match(static_cast<const pcre2_code*>(prog.code()), buf, len, from, 0, st.pcre->md,
                       st.pcre->mctx);
  if (rc < 0) return false;
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.pcre->md);
  mstart = static_cast<uint32_t>(ov[0]);
  mend = static_cast<uint32_t>(ov[1]);
  return true;
}

uint32_t PcreFlags::caseless() {
  return PCRE2_CASELESS;
}
uint32_t PcreFlags::dotall() {
  return PCRE2_DOTALL;
}
uint32_t PcreFlags::multiline() {
  return PCRE2_MULTILINE;
}
uint32_t PcreFlags::extended() {
  return PCRE2_EXTENDED;
}
uint32_t PcreFlags::anchored() {
  return PCRE2_ANCHORED;
}
uint32_t PcreFlags::dollar_endonly() {
  return PCRE2_DOLLAR_ENDONLY;
}
uint32_t PcreFlags::ungreedy() {
  return PCRE2_UNGREEDY;
}

}  // namespace nsm4::detect
