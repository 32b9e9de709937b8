# Proves a check of the tree (SCRIPT, relative to the root: cmake/check_layers.cmake,
# tests/rules/check_seeded.cmake) refuses a change to the real tree: copies the
# tree's C++ files, CMakeLists.txt files and cmake/ into WORK, makes one edit,
# runs the check on the copy (-DROOT=WORK), and passes only if the check fails
# naming the offence (EXPECT, a regex).
# The edit: with FROM set, FILE's text FROM becomes TO; else LINE is appended
# to FILE (created if new). The real tree is never touched.
# Usage: cmake -DSCRIPT=.. -DROOT=.. -DWORK=.. -DFILE=.. (-DLINE=.. | -DFROM=.. -DTO=..) -DEXPECT=.. -P expect_refused_edit.cmake
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK}")
file(GLOB tops LIST_DIRECTORIES true RELATIVE "${ROOT}" "${ROOT}/*")
foreach(top IN LISTS tops)
  # Every top-level folder but hidden ones and build trees (the copy's own included).
  if(IS_DIRECTORY "${ROOT}/${top}" AND NOT top MATCHES "^\\." AND NOT EXISTS "${ROOT}/${top}/CMakeCache.txt")
    file(COPY "${ROOT}/${top}" DESTINATION "${WORK}" FILES_MATCHING REGEX "(\\.(hpp|cpp|h|hh|cc|ipp|inc|tpp)|\\.cmake|/CMakeLists\\.txt)$")
  endif()
endforeach()
if(DEFINED FROM)
  file(READ "${WORK}/${FILE}" text)
  string(FIND "${text}" "${FROM}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${FILE} does not contain '${FROM}': the test's edit no longer applies")
  endif()
  string(REPLACE "${FROM}" "${TO}" text "${text}")
  file(WRITE "${WORK}/${FILE}" "${text}")
else()
  file(APPEND "${WORK}/${FILE}" "${LINE}\n")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${WORK} -P ${WORK}/${SCRIPT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the check accepted the edit of ${FILE}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the check failed, but without naming the offence /${EXPECT}/")
endif()
message("refused as expected: /${EXPECT}/")
file(REMOVE_RECURSE "${WORK}")
