// mkdtemp, and the interrupt registration.
#include "common/temp_folder.hpp"

#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "common/interrupts.hpp"
#include "common/write_file.hpp"

namespace failsim {

namespace fs = std::filesystem;

std::string make_temp_folder(const std::string& prefix) {
  std::vector<char> name(prefix.begin(), prefix.end());
  for (char c : std::string("XXXXXX")) name.push_back(c);
  name.push_back('\0');
  if (!::mkdtemp(name.data()))
    throw WriteError(prefix + "XXXXXX: cannot create a temporary folder: " + std::strerror(errno));
  std::string path(name.data());
  watch_temp_path(path);
  return path;
}

std::string make_work_folder(const std::string& name) {
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  if (ec) tmp = "/tmp";
  return make_temp_folder((tmp / name).string() + "-");
}

void publish_folder_mode(const std::string& path) {
  const mode_t mask = ::umask(0);  // the only way to read the umask; set back at once
  ::umask(mask);
  ::chmod(path.c_str(), 0777 & ~mask);
}

void remove_temp_folder(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
  unwatch_temp_path(path);
}

}  // namespace failsim
