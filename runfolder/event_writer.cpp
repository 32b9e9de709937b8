// Event lines, as nlohmann::json dumps the object.
#include "event_writer.hpp"

#include <cassert>

namespace failsim::runfolder {

using nlohmann::json;

void append_event_line(std::string& out, double time_s, std::string_view node, EventKind kind, json fields) {
  // The fields and the event's own three members, dumped as one object
  // (nlohmann::json sorts the keys), without copying the fields.
  if (!fields.is_object()) fields = json::object();
  assert(!fields.contains("time_s") && !fields.contains("node") && !fields.contains("kind") &&
         "event fields must not replace the event's own");
  fields["time_s"] = time_s;
  fields["node"] = node;
  fields["kind"] = to_string(kind);
  out += fields.dump();
}

std::string event_line(const Event& e) {
  std::string out;
  append_event_line(out, e.time_s, e.node, e.kind, payload_json(e));
  return out;
}

}  // namespace failsim::runfolder
