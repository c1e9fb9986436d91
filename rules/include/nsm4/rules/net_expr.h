#pragma once
// Address and port expressions of a rule header (and of variable values):
//   address: any | 1.2.3.4 | 10.0.0.0/8 | 10.0.0.0/255.0.0.0 | 2001:db8::/32 |
//            $VAR | [a, b, [c, d]] | !x | ![...]
//   port:    any | 80 | 1024:2048 | 1024: | :1023 | $VAR | [a, b] | !x | ![...]
// Inside a group, the result is the union of the positive elements (or
// everything, if there are none) minus the union of the negated ones.
#include <string_view>

#include "nsm4/rules/address_set.h"
#include "nsm4/rules/diagnostic.h"
#include "nsm4/rules/port_set.h"
#include "nsm4/rules/variables.h"

namespace nsm4::rules {

// On failure returns false; err.offset is relative to text (an error inside a
// variable's value points at the $VAR reference and names the variable).
bool parse_address_expr(std::string_view text, const Variables& vars, AddressSet& out,
                        ParseError& err);
bool parse_port_expr(std::string_view text, const Variables& vars, PortSet& out, ParseError& err);

}  // namespace nsm4::rules
