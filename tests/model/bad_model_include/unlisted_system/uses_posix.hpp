// Fixture for ModelIncludeCheck: a POSIX header is not standard C++ either.
#pragma once
#include <unistd.h>
