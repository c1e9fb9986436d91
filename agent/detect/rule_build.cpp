#include <algorithm>
#include <cctype>

#include "detect/keyword.h"
#include "detect/parse_util.h"

namespace nsm4::detect {

BuildProgram& RuleBuild::program() {
  if (current_program >= 0 && static_cast<size_t>(current_program) < programs.size() &&
      programs[static_cast<size_t>(current_program)].buffer == current)
    return programs[static_cast<size_t>(current_program)];
  for (size_t i = 0; i < programs.size(); ++i)
    if (programs[i].buffer == current) {
      current_program = static_cast<int>(i);
      return programs[i];
    }
  programs.push_back({current, {}, {}});
  current_program = static_cast<int>(programs.size() - 1);
  return programs.back();
}

Op* RuleBuild::prev_anchor(const Op* skip) {
  BuildProgram* holder = nullptr;
  if (skip != nullptr)
    for (BuildProgram& q : programs)
      if (std::any_of(q.ops.begin(), q.ops.end(),
                      [skip](const auto& o) { return o.get() == skip; }))
        holder = &q;
  BuildProgram& p = holder != nullptr ? *holder : program();
  for (auto it = p.ops.rbegin(); it != p.ops.rend(); ++it) {
    if (it->get() == skip) continue;
    if ((*it)->kind == OpKind::kContent || (*it)->kind == OpKind::kPcre) return it->get();
  }
  return nullptr;
}

void RuleBuild::add_op(std::shared_ptr<Op> op) {
  const BufferId saved = current;
  // As Suricata: relative to the last content, wherever it is. (A relative
  // pcre stays: its buffer flags move it afterwards.)
  if (op->relative && op->kind != OpKind::kContent && op->kind != OpKind::kPcre &&
      current == BufferId::kPktData)
    current = anchor_buffer;
  if (op->relative && op->kind != OpKind::kContent) {
    if (Op* prev = prev_anchor()) prev->backtrack_next = true;
  }
  if (op->kind == OpKind::kContent) last_content = static_cast<ContentOp*>(op.get());
  if (op->kind == OpKind::kContent || op->kind == OpKind::kPcre) anchor_buffer = current;
  program().ops.push_back(std::move(op));
  current = saved;
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

bool RuleBuild::add_transform(std::shared_ptr<const Transform> t, std::string_view keyword,
                              std::string& err) {
  (void)keyword;
  (void)err;
  BuildProgram& p = program();
  if (p.ops.empty()) {
    p.transforms.push_back(std::move(t));
    return true;
  }
  // After a content (Suricata 8): the keywords that follow inspect the buffer
  // transformed by every transform so far; those before keep the buffer as
  // they had it.
  BuildProgram next{current, p.transforms, {}};
  next.transforms.push_back(std::move(t));
  programs.push_back(std::move(next));
  current_program = static_cast<int>(programs.size() - 1);
  last_content = nullptr;
  return true;
}

bool RuleBuild::add_tx_uint(std::string_view value, TxInt field, uint8_t proto, uint8_t dirs,
                            uint64_t max, std::string& err) {
  std::string_view v = trim(value);
  TxIntCheck t;
  t.field = field;
  t.app_proto = proto;
  t.dirs = dirs;
  if (!v.empty() && v[0] == '!') {
    t.negated = true;
    v = trim(v.substr(1));
  }
  if (!parse_uint_cmp(v, max, t.cmp, err)) return false;
  if (!need_app_proto(proto, err)) return false;
  tx_ints.push_back(t);
  return true;
}

bool RuleBuild::need_app_proto(uint8_t proto, std::string& err) {
  if (app_proto && app_proto != proto) {
    err = "mixes buffers of two application protocols (" + std::string(app::proto_name(app_proto)) +
          " and " + std::string(app::proto_name(proto)) + ")";
    return false;
  }
  app_proto = proto;
  return true;
}

bool RuleBuild::select_buffer(const BufferDef& b, std::string& err) {
  if (b.is_app() && !need_app_proto(b.app_proto, err)) return false;
  current = b.id;
  current_program = -1;
  last_content = nullptr;
  anchor_buffer = b.id;
  return true;
}

bool RuleBuild::move_last_to(const BufferDef& b, std::string_view keyword, std::string& err) {
  if (validating) return true;
  BuildProgram& from = program();
  if (from.ops.empty() ||
      (from.ops.back()->kind != OpKind::kContent && from.ops.back()->kind != OpKind::kPcre)) {
    err.assign(keyword);
    err.append(" needs a content (or pcre) right before it");
    return false;
  }
  if (from.buffer == b.id) return true;
  if (from.buffer != BufferId::kPktData) {
    err.assign(keyword);
    err.append(" modifies a content of the payload, not of a sticky buffer (");
    err.append(buffer_def(from.buffer).name);
    err.append(")");
    return false;
  }
  if (b.is_app() && !need_app_proto(b.app_proto, err)) return false;
  std::shared_ptr<Op> op = std::move(from.ops.back());
  from.ops.pop_back();
  if (from.ops.empty()) {
    for (auto it = programs.begin(); it != programs.end(); ++it)
      if (&*it == &from) {
        programs.erase(it);
        break;
      }
  }
  BufferId saved = current;
  current = b.id;
  BuildProgram& to = program();
  bool relative = op->relative;
  if (op->kind == OpKind::kContent) {
    auto* c = static_cast<ContentOp*>(op.get());
    relative = relative || c->has_distance || c->has_within;
  }
  if (relative) {
    for (auto it = to.ops.rbegin(); it != to.ops.rend(); ++it)
      if ((*it)->kind == OpKind::kContent || (*it)->kind == OpKind::kPcre) {
        (*it)->backtrack_next = true;
        break;
      }
  }
  if (op->kind == OpKind::kContent) last_content = static_cast<ContentOp*>(op.get());
  anchor_buffer = b.id;
  to.ops.push_back(std::move(op));
  current = saved;
  return true;
}

std::string TxIntCheck::key() const {
  return "txint:" + std::to_string(static_cast<int>(field)) + ":" + cmp.key() +
         (negated ? "!" : "") + ":" + std::to_string(dirs);
}

}  // namespace nsm4::detect
