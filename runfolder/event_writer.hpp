// The one writer of events.jsonl lines: an event's fields and its own
// time_s, node and kind as one JSON object, keys sorted as nlohmann::json
// dumps them. The simulator's recorder writes every event through it (the
// report samples, written 10 times a simulated second per node, through
// sim/run/json_line.hpp's text writer, which gives the same bytes).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "runfolder/event.hpp"
#include "runfolder/event_kind.hpp"

namespace failsim::runfolder {

// Appends the line, without its newline. `fields` must not hold time_s,
// node or kind (asserted).
void append_event_line(std::string& out, double time_s, std::string_view node, EventKind kind, nlohmann::json fields);
// A typed event's line: decode_event of it gives `e` back.
std::string event_line(const Event& e);

}  // namespace failsim::runfolder
