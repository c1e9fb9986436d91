#include "detect/prefilter.h"

#include <hs/hs.h>

namespace nsm4::detect {

class PrefilterScratch {
 public:
  hs_scratch_t* s = nullptr;
};

namespace {
void free_scratch(PrefilterScratch* p) {
  if (!p) return;
  if (p->s) hs_free_scratch(p->s);
  delete p;
}
}  // namespace

PrefilterScratchPtr empty_prefilter_scratch() {
  return PrefilterScratchPtr(new PrefilterScratch(), free_scratch);
}

Prefilter::~Prefilter() {
  if (db_) hs_free_database(static_cast<hs_database_t*>(db_));
}

std::unique_ptr<Prefilter> Prefilter::build(const std::vector<PrefilterPattern>& patterns,
                                            std::string& err) {
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags, ids;
  for (size_t i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].bytes.data());
    lens.push_back(patterns[i].bytes.size());
    flags.push_back(HS_FLAG_SINGLEMATCH | (patterns[i].nocase ? HS_FLAG_CASELESS : 0));
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* cerr = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                           &cerr) != HS_SUCCESS) {
    err = cerr && cerr->message ? cerr->message : "hyperscan compile failed";
    if (cerr) hs_free_compile_error(cerr);
    return nullptr;
  }
  std::unique_ptr<Prefilter> p(new Prefilter());
  p->db_ = db;
  return p;
}

bool Prefilter::prepare(PrefilterScratchPtr& scratch) const {
  return hs_alloc_scratch(static_cast<hs_database_t*>(db_), &scratch->s) == HS_SUCCESS;
}

void Prefilter::scan(const uint8_t* data, uint32_t len, PrefilterScratch& scratch,
                     std::vector<uint32_t>& hits) const {
  auto on_match = [](unsigned id, unsigned long long, unsigned long long, unsigned,
                     void* ctx) -> int {
    static_cast<std::vector<uint32_t>*>(ctx)->push_back(id);
    return 0;
  };
  hs_scan(static_cast<hs_database_t*>(db_), reinterpret_cast<const char*>(data), len, 0, scratch.s,
          on_match, &hits);
}

}  // namespace nsm4::detect
