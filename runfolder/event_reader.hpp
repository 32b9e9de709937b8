// The one reader of events.jsonl: streamed line by line through LineReader
// (a regular file within the caps), each line decoded into a typed Event.
// Errors name the file and line: "DIR/events.jsonl:7: blocks: expected ...".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runfolder/event.hpp"
#include "runfolder/line_reader.hpp"

namespace failsim::runfolder {

class EventReader {
 public:
  // Throws LineReaderError when the file cannot be read or breaks a cap.
  explicit EventReader(const std::string& path);
  // The next event; false at the end of the file. Throws FormatError for a
  // line that is not a known event (an empty line too), LineReaderError
  // for a read error.
  bool next(Event& out);
  std::size_t line_number() const { return lines_.line_number(); }

 private:
  std::string path_;
  LineReader lines_;
  double last_time_s_ = 0;  // of the previous event: times never decrease
};

// Every event of the file, in file order.
std::vector<Event> read_events(const std::string& path);

}  // namespace failsim::runfolder
