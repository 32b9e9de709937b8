# Writes common/build_info_values.hpp from build_info_values.hpp.in with the
# project version and the checkout's current commit. Run at every build
# (common/CMakeLists.txt), so the build string names the commit built, not
# the one configured; configure_file rewrites the header only when it
# changes, so an unchanged commit recompiles nothing.
# In: SOURCE_DIR, TEMPLATE, OUTPUT, FAILSIM_VERSION.
execute_process(COMMAND git -C ${SOURCE_DIR} rev-parse --short=12 HEAD
                OUTPUT_VARIABLE FAILSIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE git_result ERROR_QUIET)
if(NOT git_result EQUAL 0)
  set(FAILSIM_GIT_COMMIT "")
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
