#include <cctype>

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

BuildProgram& RuleBuild::program() {
  for (BuildProgram& p : programs)
    if (p.buffer == current) return p;
  programs.push_back({current, {}});
  return programs.back();
}

Op* RuleBuild::prev_anchor(const Op* skip) {
  BuildProgram& p = program();
  for (auto it = p.ops.rbegin(); it != p.ops.rend(); ++it) {
    if (it->get() == skip) continue;
    if ((*it)->kind == OpKind::kContent || (*it)->kind == OpKind::kPcre) return it->get();
  }
  return nullptr;
}

void RuleBuild::add_op(std::shared_ptr<Op> op) {
  if (op->relative && op->kind != OpKind::kContent) {
    if (Op* prev = prev_anchor()) prev->backtrack_next = true;
  }
  if (op->kind == OpKind::kContent) last_content = static_cast<ContentOp*>(op.get());
  program().ops.push_back(std::move(op));
}

bool RuleBuild::int_or_var(std::string_view text, IntOrVar& out, int64_t min, int64_t max,
                           std::string& err) const {
  text = trim(text);
  int64_t v = 0;
  if (parse_int(text, v)) {
    if (v < min || v > max) {
      err = "value " + std::to_string(v) + " out of range " + std::to_string(min) + ".." +
            std::to_string(max);
      return false;
    }
    out.value = v;
    out.var = -1;
    return true;
  }
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    err = "expected a number or a byte_extract variable, got '" + std::string(text) + "'";
    return false;
  }
  if (validating) {
    out.var = 0;
    return true;
  }
  auto it = vars.find(text);
  if (it == vars.end()) {
    err = "unknown variable '" + std::string(text) +
          "' (byte_extract or byte_math must define it earlier in the rule)";
    return false;
  }
  out.var = it->second;
  return true;
}

ContentOp* RuleBuild::content_for(std::string_view keyword, std::string& err) {
  if (validating) {
    if (!standin_) standin_ = std::make_shared<ContentOp>();
    *standin_ = ContentOp();
    standin_->bytes.assign(1, 'x');
    return standin_.get();
  }
  if (!last_content) {
    err.assign(keyword);
    err.append(" needs a content before it");
    return nullptr;
  }
  return last_content;
}

}  // namespace nsm4::detect
