// A run-folder file whose content breaks the format: the message names the
// file, the line of a JSON-lines file, and the field ("events.jsonl:7:
// blocks: expected an integer from 0 to 2147483647, found \"many\"").
// Exit status 2 at the command line.
#pragma once

#include <stdexcept>

namespace failsim::runfolder {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace failsim::runfolder
