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
  // Events are written as simulated time passes: a time that runs backwards
  // is a file that was edited or mixed, and no verdict is drawn from it.
  if (!(out.time_s >= last_time_s_))
    throw FormatError(path_ + ":" + std::to_string(lines_.line_number()) + ": time_s: " + std::to_string(out.time_s) +
                      " is before the previous line's " + std::to_string(last_time_s_) + " (expected time order, from 0)");
  last_time_s_ = out.time_s;
  return true;
}

std::vector<Event> read_events(const std::string& path) {
  std::vector<Event> out;
  EventReader in(path);
  for (Event e; in.next(e);) out.push_back(std::move(e));
  return out;
}

}  // namespace failsim::runfolder
