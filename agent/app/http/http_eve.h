#pragma once
// The "http" object of an EVE http record, with Suricata 8's field names.
#include <string>

#include "app/http/http_tx.h"

namespace nsm4::app::http {

// {"hostname":...,"http_port":...,"url":...,"http_user_agent":...,"xff":...,
//  "http_content_type":...,"http_refer":...,"http_method":...,"protocol":...,
//  "status":...,"redirect":...,"length":...}; absent parts are left out.
std::string eve_body(const HttpTx& tx);

}  // namespace nsm4::app::http
