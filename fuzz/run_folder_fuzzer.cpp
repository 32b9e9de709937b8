// libFuzzer target: the run-folder readers on arbitrary bytes - the
// checker's history reader (checker/history) and the reports' reader of a
// whole folder (reports/run_data: history, events, summary, verdict,
// scenario). The input is the files joined by NUL bytes, in that order
// (history.jsonl, events.jsonl, summary.json, verdict.json, scenario.json;
// fewer parts leave the rest missing). Bad input must become a HistoryError
// or a ReportInputError - never another exception, a crash, or a hang -
// and both readers must agree on whether a history is readable.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "checker/history.hpp"
#include "reports/run_data.hpp"

namespace {

const std::string& folder() {
  static const std::string dir = [] {
    std::string t = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                    "/failsim-fuzz-run-XXXXXX";
    if (!::mkdtemp(t.data())) std::abort();
    return t;
  }();
  return dir;
}

void put(const std::string& name, std::string_view bytes, bool present) {
  const std::string path = folder() + "/" + name;
  ::unlink(path.c_str());
  if (!present) return;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace failsim;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const char* names[] = {"history.jsonl", "events.jsonl", "summary.json", "verdict.json", "scenario.json"};
  std::size_t at = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t nul = at <= in.size() ? in.find('\0', at) : std::string_view::npos;
    const bool present = at <= in.size();
    put(names[i], present ? in.substr(at, nul == std::string_view::npos ? std::string_view::npos : nul - at) : "",
        present);
    at = nul == std::string_view::npos ? in.size() + 1 : nul + 1;
  }
  bool checker_read = false;
  try {
    checker::History h;
    checker::read_history_into(folder() + "/history.jsonl", h);
    checker_read = true;
  } catch (const checker::HistoryError&) {
  }
  try {
    reports::RunData run = reports::read_run_folder(folder());
    if (!checker_read) {
      std::fprintf(stderr, "run_folder_fuzzer: the reports read a history the checker refused\n");
      std::abort();
    }
  } catch (const reports::ReportInputError& e) {
    // The reports refuse for other files too; a history the checker read
    // must not be what they refuse.
    const std::string what = e.what();
    if (checker_read && what.starts_with(folder() + "/history.jsonl")) {
      std::fprintf(stderr, "run_folder_fuzzer: the checker read a history the reports refused: %s\n", what.c_str());
      std::abort();
    }
  }
  return 0;
}
