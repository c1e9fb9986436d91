#pragma once
// A DNS transaction. As in Suricata 8, transactions are one-sided: each
// request is one transaction and each response another (tx ids 0, 1, 2 ...
// in arrival order); a response is not merged into its request.
#include <cstddef>
#include <cstdint>

#include "app/app_parser.h"
#include "app/dns/dns_message.h"

namespace nsm4::app::dns {

class DnsTx : public AppTx {
 public:
  // kToServer: `message` is a request; kToClient: a response.
  Dir dir = Dir::kToServer;
  Message message;
  size_t wire_size = 0;  // bytes of the message on the wire (memory figures)
  bool logged = false;

  // kDnsQuery: the question names of the message of `dir` (0 request,
  // 1 response); kDnsAnswerName: its answer names. Not present for the other
  // direction, nor for an empty name (the root), which ends the list.
  detect::BufferView get(detect::BufferId id, int dir, uint32_t index) const override;
  // kDnsOpcode, kDnsRcode of the message (whichever side it is).
  bool get_int(detect::TxInt field, int dir, int64_t& out) const override;
};

}  // namespace nsm4::app::dns
