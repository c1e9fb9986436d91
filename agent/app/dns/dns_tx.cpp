#include "app/dns/dns_tx.h"

#include <string>

namespace nsm4::app::dns {
namespace {

detect::BufferView view(const std::string& s) {
  detect::BufferView v;
  if (s.empty()) return v;
  v.data = reinterpret_cast<const uint8_t*>(s.data());
  v.len = static_cast<uint32_t>(s.size());
  v.present = true;
  return v;
}

}  // namespace

detect::BufferView DnsTx::get(detect::BufferId id, int d, uint32_t index) const {
  if (d != static_cast<int>(dir)) return {};
  switch (id) {
    case detect::BufferId::kDnsQuery:
      if (index < message.questions.size()) return view(message.questions[index].name.value);
      return {};
    case detect::BufferId::kDnsAnswerName:
      if (index < message.answers.size()) return view(message.answers[index].name.value);
      return {};
    default:
      return {};
  }
}

bool DnsTx::get_int(detect::TxInt field, int d, int64_t& out) const {
  (void)d;
  switch (field) {
    case detect::TxInt::kDnsOpcode:
      out = message.header.opcode();
      return true;
    case detect::TxInt::kDnsRcode:
      out = message.header.rcode();
      return true;
    default:
      return false;
  }
}

}  // namespace nsm4::app::dns
