// Temporary folders with unpredictable names (mkdtemp): a folder from
// elsewhere, or a user sharing /tmp, cannot have prepared one with symlinks
// in it. Each is registered for removal on an interrupt
// (common/interrupts.hpp).
#pragma once

#include <string>

namespace failsim {

// `prefix` followed by six random characters, created mode 0700; throws
// WriteError naming the prefix and the reason.
std::string make_temp_folder(const std::string& prefix);

// A work folder in the system's temporary directory ($TMPDIR or /tmp):
// `<tmp>/<name>-XXXXXX`.
std::string make_work_folder(const std::string& name);

// Before a temporary folder is renamed into place as a run or sweep folder:
// the mode any folder gets (0777 less the umask) instead of mkdtemp's 0700.
void publish_folder_mode(const std::string& path);

// Removes a folder made above and forgets it.
void remove_temp_folder(const std::string& path);

}  // namespace failsim
