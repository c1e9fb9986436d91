// content: bytes to find in the current buffer ("abc|0d 0a|", !"negated").
#include "detect/keyword.h"

namespace nsm4::detect {

namespace {

bool parse(const rules::RuleOption& o, RuleBuild& rb, std::string& err) {
  if (!o.content) {
    err = "needs a quoted value, e.g. content:\"abc|0d 0a|\"";
    return false;
  }
  if (o.content->bytes.empty()) {
    err = "content is empty";
    return false;
  }
  auto c = std::make_shared<ContentOp>();
  c->bytes = o.content->bytes;
  c->negated = o.content->negated;
  c->lower = c->bytes;
  for (char& ch : c->lower)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  for (const auto& t : rb.program().transforms)
    if (!t->content_can_match(c->bytes)) {
      err = "can never match: the buffer's transform (" + t->key() + ") cannot produce it";
      return false;
    }
  rb.add_op(std::move(c));
  return true;
}

}  // namespace

extern const KeywordDef kKeyword_content{
    "content", "match bytes in the current buffer; modifiers follow it", kKwPrefilter, parse};

}  // namespace nsm4::detect
