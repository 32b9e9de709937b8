// Fork, temporary folder, rename.
#include "run_folder.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/run/simulation.hpp"

namespace failsim::sim {

namespace fs = std::filesystem;

int run_into_folder(const Scenario& scenario, const std::string& out_dir, bool force, std::ostream& out,
                    const std::function<void(const std::string& dir)>& before_rename) {
  const fs::path final_dir(out_dir);
  std::error_code ec;
  if (fs::exists(final_dir, ec) && !force)
    throw RunFolderError(out_dir + ": already exists (use --force to replace it)");
  if (final_dir.has_parent_path()) fs::create_directories(final_dir.parent_path(), ec);
  const fs::path tmp = final_dir.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec) throw RunFolderError(tmp.string() + ": cannot create: " + ec.message());

  std::cout.flush();
  pid_t pid = ::fork();
  if (pid < 0) {
    fs::remove_all(tmp, ec);
    throw RunFolderError("cannot fork: " + std::string(std::strerror(errno)));
  }
  if (pid == 0) {
    int code = 3;
    try {
      std::ostringstream text;
      code = run_simulation(scenario, tmp.string(), text);
      std::cout << text.str();
    } catch (const std::exception& e) {
      std::cerr << "failsim: internal error in the simulation: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "failsim: internal error in the simulation\n";
    }
    std::cout.flush();
    std::cerr.flush();
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
  if (code != 0) {
    fs::remove_all(tmp, ec);
    if (!WIFEXITED(status)) out << "failsim: the simulation died (signal " << WTERMSIG(status) << ")\n";
    return code;
  }
  if (before_rename) {
    try {
      before_rename(tmp.string());
    } catch (...) {
      fs::remove_all(tmp, ec);
      throw;
    }
  }
  if (force) fs::remove_all(final_dir, ec);
  fs::rename(tmp, final_dir, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    throw RunFolderError(out_dir + ": cannot move the run into place: " + ec.message());
  }
  out << "run folder: " << out_dir << "\n";
  return 0;
}

}  // namespace failsim::sim
