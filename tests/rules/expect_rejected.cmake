# Runs an include check (a cmake -P script) that must refuse its input, and
# passes only if it exits non-zero AND names the expected offence: a check
# that fails for another reason (a syntax error, a missing folder) does not
# count as a refusal.
# Usage: cmake -DSCRIPT=<check.cmake> -DVARS="NAME=value|NAME=value" -DEXPECT=<regex> -P expect_rejected.cmake
cmake_minimum_required(VERSION 3.22)
set(defines "")
string(REPLACE "|" ";" vars "${VARS}")
foreach(v IN LISTS vars)
  list(APPEND defines "-D${v}")
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} ${defines} -P ${SCRIPT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "the check accepted what it must refuse")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the check failed, but without naming the offence /${EXPECT}/")
endif()
message("refused as expected: /${EXPECT}/")
