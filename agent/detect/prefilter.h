#pragma once
// Hyperscan multi-literal prefilter over the rules' fast patterns, behind an
// interface that keeps Hyperscan's header out of the rest of the agent.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nsm4::detect {

struct PrefilterPattern {
  std::string bytes;
  bool nocase = false;
};

class PrefilterScratch;

class Prefilter {
 public:
  ~Prefilter();
  // One id per pattern (its index). nullptr with err on failure.
  static std::unique_ptr<Prefilter> build(const std::vector<PrefilterPattern>& patterns,
                                          std::string& err);
  // Appends the ids of the patterns found in [data, data+len) to hits.
  void scan(const uint8_t* data, uint32_t len, PrefilterScratch& scratch,
            std::vector<uint32_t>& hits) const;
  // Grows `scratch` (created on first use) so it serves this database too.
  bool prepare(std::unique_ptr<PrefilterScratch, void (*)(PrefilterScratch*)>& scratch) const;

 private:
  Prefilter() = default;
  void* db_ = nullptr;
};

using PrefilterScratchPtr = std::unique_ptr<PrefilterScratch, void (*)(PrefilterScratch*)>;
PrefilterScratchPtr empty_prefilter_scratch();

}  // namespace nsm4::detect
