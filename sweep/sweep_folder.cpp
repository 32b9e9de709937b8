// Temporary folder, rename.
#include "sweep/sweep_folder.hpp"

#include <unistd.h>

#include <filesystem>

#include "common/interrupts.hpp"
#include "common/temp_folder.hpp"
#include "common/write_file.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;

FolderInProgress::FolderInProgress(std::string final_dir, bool force) : final_(std::move(final_dir)), force_(force) {
  std::error_code ec;
  if (fs::exists(final_, ec) && !force_) throw SweepError({final_ + ": already exists (use --force to replace it)"});
  const fs::path final_path(final_);
  if (final_path.has_parent_path()) fs::create_directories(final_path.parent_path(), ec);
  try {
    tmp_ = make_temp_folder(final_ + ".tmp-");  // unpredictable, removed on an interrupt
  } catch (const WriteError& e) {
    throw SweepError({e.what()});
  }
}

FolderInProgress::~FolderInProgress() {
  if (!committed_) remove_temp_folder(tmp_);
}

void FolderInProgress::commit() {
  std::error_code ec;
  publish_folder_mode(tmp_);
  if (force_) fs::remove_all(final_, ec);
  fs::rename(tmp_, final_, ec);
  if (ec) throw SweepError({final_ + ": cannot move the sweep folder into place: " + ec.message()});
  unwatch_temp_path(tmp_);
  committed_ = true;
}

}  // namespace failsim::sweep
