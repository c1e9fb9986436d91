// uricontent: the legacy form of `content:"..."; http_uri;`.
#include "detect/keyword.h"

namespace nsm4::detect {

extern const KeywordDef kKeyword_uricontent{
    "uricontent", "legacy: content in the normalised HTTP URI (content + http_uri)", kKwPrefilter,
    [](const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
      const KeywordDef* content = find_keyword("content");
      const BufferDef* uri = find_buffer("http.uri");
      if (!content->parse(o, rb, err)) return false;
      BufferId saved = rb.current;
      rb.current = BufferId::kPktData;
      bool ok = rb.move_last_to(*uri, "uricontent", err);
      rb.current = saved;
      return ok;
    }};

}  // namespace nsm4::detect
