// Events.jsonl, line by line, into typed events.
#include "event_reader.hpp"

#include <nlohmann/json.hpp>

#include "runfolder/format_error.hpp"
#include "runfolder/json_text.hpp"

namespace failsim::runfolder {

EventReader::EventReader(const std::string& path) : path_(path), lines_(path) {}

bool EventReader::next(Event& out) {
  std::string_view line;
  if (!lines_.next(line)) return false;
  try {
    out = decode_event(nlohmann::json::parse(line));
  } catch (const std::exception& e) {
    throw FormatError(path_ + ":" + std::to_string(lines_.line_number()) + ": " + clip(e.what(), 300));
  }
  return true;
}

std::vector<Event> read_events(const std::string& path) {
  std::vector<Event> out;
  EventReader in(path);
  for (Event e; in.next(e);) out.push_back(std::move(e));
  return out;
}

}  // namespace failsim::runfolder
