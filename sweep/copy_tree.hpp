// Copying a shard's run folder into the merged sweep folder. A shard comes
// from another machine: it is copied as folders and regular files only, and
// a symlink, a device, a FIFO or a socket anywhere in it stops the merge
// (exit 2 naming it), so that a shard cannot pull a file from outside
// itself into the merged output, nor make the merge hang on a FIFO.
#pragma once

#include <string>

namespace failsim::sweep {

// Copies the folder `from` to `to` (which must not exist). Throws
// SweepError naming the offending file, or the file that could not be
// read or written and why; a partial copy stays in `to`, inside the merge's
// temporary folder, which is removed with it.
void copy_regular_tree(const std::string& from, const std::string& to);

}  // namespace failsim::sweep
