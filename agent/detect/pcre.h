#pragma once
// PCRE2 (JIT) behind a small interface, so PCRE2's header stays here.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace nsm4::detect {

// Per-worker match data, sized for any pattern of the rule set.
struct PcreScratch;

class PcreProgram {
 public:
  ~PcreProgram();
  // pattern: the regex; options: PCRE2 compile options. On failure returns
  // nullptr and sets error (with the column inside the pattern).
  static std::shared_ptr<PcreProgram> compile(std::string_view pattern, uint32_t options,
                                              std::string& error);
  void* code() const { return code_; }

 private:
  PcreProgram() = default;
  void* code_ = nullptr;
};

std::unique_ptr<PcreScratch, void (*)(PcreScratch*)> make_pcre_scratch();

// PCRE2 option bits used by the pcre keyword (mirrors of PCRE2_*).
struct PcreFlags {
  static uint32_t caseless();
  static uint32_t dotall();
  static uint32_t multiline();
  static uint32_t extended();
  static uint32_t anchored();
  static uint32_t dollar_endonly();
  static uint32_t ungreedy();
};

}  // namespace nsm4::detect
