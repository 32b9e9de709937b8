// Scenario files, the public side: text or file in, Scenario out (or every
// problem found, as a ScenarioError); Scenario back to JSON; `failsim
// validate`. The work is done in steps, each in a file of its own: the text
// (json_text), the fields (scenario_read), the references between them
// (scenario_check).
#include "sim/scenario/scenario_json.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "sim/scenario/json_text.hpp"
#include "sim/scenario/json_writer.hpp"
#include "sim/scenario/scenario_check.hpp"
#include "sim/scenario/scenario_fields.hpp"
#include "sim/scenario/scenario_read.hpp"
#include "sim/scenario/scenario_warnings.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + l;
  return s;
}

// A scenario file is a page of text; a file far larger is a mistake (a log or
// a disk image given by accident), and reading it whole would be costly.
constexpr std::uintmax_t max_file_bytes = 64u << 20;

}  // namespace

ScenarioError::ScenarioError(const std::vector<std::string>& lines) : std::runtime_error(join(lines)), problems(lines) {}

Scenario parse_scenario(const std::string& text, const std::string& source_name) {
  detail::Problems p(source_name);
  std::optional<json> j = detail::parse_json_text(text, p);
  Scenario s;
  if (j) detail::read_scenario(*j, s, p);
  // References are checked only in a scenario that read cleanly: after a type
  // error the field holds its default, and checking that would report
  // problems the file does not have.
  if (p.empty()) detail::check_scenario(s, p);
  if (!p.empty()) throw ScenarioError(p.lines());
  return s;
}

Scenario load_scenario_file(const std::string& path) {
  auto fail = [&](const std::string& why) { return ScenarioError({path + ": cannot read: " + why}); };
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) throw fail(ec.message());
  if (fs::is_directory(st)) throw fail("it is a directory, expected a scenario file");
  if (fs::is_regular_file(st)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    if (!ec && size > max_file_bytes)
      throw fail("it has " + std::to_string(size) + " bytes, expected a scenario file of at most 64 MiB");
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fail(errno ? std::strerror(errno) : "cannot open it");
  // The cap again while reading: a FIFO or a device (/dev/zero) has no size
  // to check beforehand.
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) throw fail("more than 64 MiB, expected a scenario file of at most 64 MiB");
  }
  if (in.bad()) throw fail(errno ? std::strerror(errno) : "read error");
  return parse_scenario(text, path);
}

json to_json(const Scenario& s) {
  Scenario copy = s;  // the field lists take the struct by reference, for reading and writing alike
  return detail::JsonWriter::write(copy, [](auto& v, auto& x) { fields::scenario(v, x); });
}

int validate_command(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int status = 0;
  for (const auto& f : files) {
    try {
      const Scenario s = load_scenario_file(f);
      out << f << ": ok\n";
      for (const std::string& w : scenario_warnings(s)) err << f << ": " << w << "\n";
    } catch (const ScenarioError& e) {
      err << e.what() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace failsim::sim
