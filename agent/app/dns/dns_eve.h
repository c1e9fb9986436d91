#pragma once
// The EVE "dns" object of a message, as Suricata 8 writes it: version 3 (one
// record per request or response: header flags, queries, answers, grouped
// answers, authorities, additionals) or the older version 2 (one "query"
// record per question, one "answer" record per response).
#include <cstdint>
#include <string>
#include <string_view>

#include "app/dns/dns_message.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::app::dns {

struct EveOptions {
  bool detailed = true;         // the "answers" array
  bool grouped = true;          // the "grouped" object (rdata by rrtype)
  uint32_t max_records = 1024;  // per section; the rest is not logged (counted)
};

// "A", "CNAME", "HTTPS" ...; the decimal number for a type without a name.
std::string rrtype_name(uint16_t rrtype);
// "NOERROR", "NXDOMAIN" ...; the decimal number for an unnamed code.
std::string rcode_name(uint8_t rcode);
// Wire bytes as Suricata logs them: valid UTF-8 unchanged, otherwise bytes
// from 0x80 up as the text \xNN.
std::string bytes_text(std::string_view bytes);

// Version 3: the body of the "dns" object. `records_cut` counts the records
// left out by max_records.
void write_v3(JsonWriter& w, const Message& m, uint64_t tx_id, const EveOptions& opt,
              uint64_t& records_cut);
// Version 2: the "query" object of question `index` of a request.
void write_v2_query(JsonWriter& w, const Message& m, size_t index, uint64_t tx_id);
// Version 2: the "answer" object of a response.
void write_v2_answer(JsonWriter& w, const Message& m, const EveOptions& opt, uint64_t& records_cut);

}  // namespace nsm4::app::dns
