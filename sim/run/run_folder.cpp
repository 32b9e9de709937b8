// Fork, temporary folder, rename.
#include "run_folder.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "common/interrupts.hpp"
#include "common/temp_folder.hpp"
#include "common/wall_limit.hpp"
#include "common/write_file.hpp"
#include "sim/run/simulation.hpp"

namespace failsim::sim {

namespace fs = std::filesystem;

std::string default_run_folder(const Scenario& scenario) {
  std::string name;
  for (char c : scenario.name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || (c == '.' && !name.empty());
    name += safe ? c : '_';
  }
  if (name.empty()) name = "scenario";
  return "runs/" + name.substr(0, 100) + "-seed" + std::to_string(scenario.seed);
}

int run_into_folder(const Scenario& scenario, const std::string& out_dir, bool force, std::ostream& out,
                    const std::function<void(const std::string& dir)>& before_rename) {
  const fs::path final_dir(out_dir);
  std::error_code ec;
  if (fs::exists(final_dir, ec) && !force)
    throw RunFolderError(out_dir + ": already exists (use --force to replace it)");
  if (final_dir.has_parent_path()) fs::create_directories(final_dir.parent_path(), ec);
  // An unpredictable name (mkdtemp), removed on an interrupt.
  fs::path tmp;
  try {
    tmp = make_temp_folder(final_dir.string() + ".tmp-");
  } catch (const WriteError& e) {
    throw RunFolderError(e.what());
  }

  // The child's summary comes back through a pipe, so it goes to `out`.
  int text_pipe[2];
  if (::pipe(text_pipe) != 0) {
    const int why = errno;
    remove_temp_folder(tmp);
    throw RunFolderError("cannot create a pipe: " + std::string(std::strerror(why)));
  }
  std::cout.flush();
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    const int why = errno;
    remove_temp_folder(tmp);
    throw RunFolderError("cannot fork: " + std::string(std::strerror(why)));
  }
  if (pid == 0) {
    become_child_process(parent);
    ::close(text_pipe[0]);
    arm_wall_limit();
    int code = 3;
    try {
      std::ostringstream text;
      code = run_simulation(scenario, tmp.string(), text);
      const std::string s = text.str();
      for (std::size_t at = 0; at < s.size();) {
        const ssize_t n = ::write(text_pipe[1], s.data() + at, s.size() - at);
        if (n <= 0 && errno != EINTR) break;
        if (n > 0) at += static_cast<std::size_t>(n);
      }
    } catch (const WriteError& e) {
      std::cerr << "failsim: " << e.what() << " (nothing is kept under " << out_dir << ")\n";
      code = 2;
    } catch (const std::exception& e) {
      std::cerr << "failsim: internal error in the simulation: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "failsim: internal error in the simulation\n";
    }
    std::cerr.flush();
    ::_exit(code);
  }
  watch_child(pid);  // an interrupt stops it before removing its folder
  ::close(text_pipe[1]);
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(text_pipe[0], buf, sizeof buf);
    if (n > 0) text.append(buf, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  ::close(text_pipe[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  unwatch_child(pid);
  out << text;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;  // a signal: an internal error
  if (code != 0) {
    remove_temp_folder(tmp);
    if (!WIFEXITED(status)) std::cerr << "failsim: the simulation " << child_end(exit_code_of(status)) << "\n";
    return code;
  }
  if (before_rename) {
    try {
      before_rename(tmp.string());
    } catch (...) {
      remove_temp_folder(tmp);
      throw;
    }
  }
  publish_folder_mode(tmp);
  if (force) fs::remove_all(final_dir, ec);
  fs::rename(tmp, final_dir, ec);
  if (ec) {
    const std::string why = ec.message();  // before remove_all overwrites ec
    remove_temp_folder(tmp);
    throw RunFolderError(out_dir + ": cannot move the run into place: " + why);
  }
  unwatch_temp_path(tmp);
  out << "run folder: " << out_dir << "\n";
  return 0;
}

namespace {

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

std::set<std::string> files_under(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) names.insert(fs::relative(e.path(), dir).string());
  return names;
}

std::vector<std::string> folder_differences(const std::string& a, const std::string& b, std::uint64_t* bytes) {
  std::vector<std::string> diffs;
  const auto in_a = files_under(a), in_b = files_under(b);
  for (const auto& name : in_a) {
    if (!in_b.contains(name)) {
      diffs.push_back(name + ": only in the first run");
      continue;
    }
    const std::string x = file_bytes(fs::path(a) / name), y = file_bytes(fs::path(b) / name);
    if (bytes) *bytes += x.size();
    if (x == y) continue;
    std::size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    diffs.push_back(name + ": differs from byte " + std::to_string(at) + " (sizes " + std::to_string(x.size()) +
                    " and " + std::to_string(y.size()) + ")");
  }
  for (const auto& name : in_b)
    if (!in_a.contains(name)) diffs.push_back(name + ": only in the second run");
  return diffs;
}

}  // namespace failsim::sim
