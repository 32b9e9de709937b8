// Text formatting shared by the report writers: numbers with a fixed number
// of decimals (locale-free, so the same run gives the same bytes), HTML
// escaping of everything that comes from a run folder, CSV fields.
#pragma once

#include <string>
#include <string_view>

namespace failsim::reports {

// `value` with exactly `decimals` digits after the point; never "-0.00".
std::string fixed(double value, int decimals);
// &, <, >, " and ' as entities: safe in element text and in quoted attributes.
std::string html_escape(std::string_view text);
// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text);

}  // namespace failsim::reports
