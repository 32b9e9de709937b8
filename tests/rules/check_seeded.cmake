# Fails when a test folder registers GoogleTest executables other than
# through failsim_discover_tests (tests/CMakeLists.txt) or sets its own
# RapidCheck parameters: every property then runs with the one fixed seed and
# case budget (FAILSIM_RC_SEED, FAILSIM_RC_CASES), in CI and locally alike.
# Usage: cmake -DROOT=<project root> -P check_seeded.cmake
cmake_minimum_required(VERSION 3.22)
file(GLOB_RECURSE lists LIST_DIRECTORIES false "${ROOT}/tests/*/CMakeLists.txt")
# tests/rules/ holds the forbidden lines as the data of its own tests.
list(FILTER lists EXCLUDE REGEX "/tests/rules/CMakeLists\\.txt$")
set(bad "")
foreach(f IN LISTS lists)
  file(STRINGS "${f}" lines REGEX "gtest_discover_tests|RC_PARAMS")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^[ \t]*#")
      file(RELATIVE_PATH rel "${ROOT}" "${f}")
      string(APPEND bad "\n  ${rel}: ${line}")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "register GoogleTest executables with failsim_discover_tests, which seeds every property:${bad}")
endif()
