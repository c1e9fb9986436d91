#include "http/http_types.h"

#include "nsm4/common/json_writer.h"

namespace nsm4::collector {

HttpResponse json_error(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  std::string body;
  JsonWriter w(body);
  w.begin_object();
  w.kv("error", std::string_view(message));
  w.end_object();
  r.body = std::move(body);
  return r;
}

const char* reject_reason_name(RejectReason r) {
  switch (r) {
    case RejectReason::kMalformedRequest:
      return "malformed_request";
    case RejectReason::kBadRequest:
      return "bad_request";
    case RejectReason::kUnauthorized:
      return "unauthorized";
    case RejectReason::kForbidden:
      return "forbidden";
    case RejectReason::kNotFound:
      return "not_found";
    case RejectReason::kMethodNotAllowed:
      return "method_not_allowed";
    case RejectReason::kLengthRequired:
      return "length_required";
    case RejectReason::kTooLarge:
      return "too_large";
    case RejectReason::kUnsupportedEncoding:
      return "unsupported_encoding";
    case RejectReason::kTimeout:
      return "timeout";
    case RejectReason::kTlsHandshake:
      return "tls_handshake";
    case RejectReason::kTooManyConnections:
      return "too_many_connections";
    case RejectReason::kStoreUnavailable:
      return "store_unavailable";
    case RejectReason::kMalformedLine:
      return "malformed_line";
    case RejectReason::kCount:
      break;
  }
  return "unknown";
}

}  // namespace nsm4::collector
