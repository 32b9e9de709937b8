# Fails when a file in model/ includes anything but a C++ standard library
# header (the fixed list below) or one of model/'s own headers (a quoted
# include that resolves to a file inside model/). model/ is the real core and
# must stay free of the simulator, of the other folders and of every
# third-party or system library: an allowlist, so a header nobody thought of
# (<openssl/evp.h>, <unistd.h>, "sim/run/world.hpp") is refused too.
# Usage: cmake -DMODEL_DIR=<dir> [-DPROJECT_ROOT=<dir>] -P check_model_includes.cmake
# (PROJECT_ROOT, where "model/x.hpp" style includes start, defaults to MODEL_DIR/..).
# Run at build time (model/CMakeLists.txt) and by the ModelIncludeCheck tests.
cmake_minimum_required(VERSION 3.22)
if(NOT MODEL_DIR)
  message(FATAL_ERROR "check_model_includes.cmake: set MODEL_DIR")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/include_lines.cmake)

# The C++20 standard library's headers, and the C library's in their <cname>
# form. The <name.h> forms are left out: they bring the C names into the
# global namespace and nothing in model/ needs them.
set(std_headers
  algorithm any array atomic barrier bit bitset charconv chrono compare complex concepts
  condition_variable coroutine deque exception execution filesystem format forward_list fstream
  functional future initializer_list iomanip ios iosfwd iostream istream iterator latch limits list
  locale map memory memory_resource mutex new numbers numeric optional ostream queue random ranges
  ratio regex scoped_allocator semaphore set shared_mutex source_location span sstream stack
  stdexcept stop_token streambuf string string_view syncstream system_error thread tuple type_traits
  typeindex typeinfo unordered_map unordered_set utility valarray variant vector version
  cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal cstdarg cstddef
  cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype)

get_filename_component(model_real "${MODEL_DIR}" REALPATH)
if(PROJECT_ROOT)
  get_filename_component(model_parent "${PROJECT_ROOT}" REALPATH)
else()
  get_filename_component(model_parent "${model_real}" DIRECTORY)
endif()
file(GLOB_RECURSE model_files LIST_DIRECTORIES false "${model_real}/*")
list(FILTER model_files INCLUDE REGEX "\\.(hpp|cpp|h|hh|cc|ipp|inc|tpp)$")
set(bad "")
foreach(f IN LISTS model_files)
  failsim_include_lines("${f}" includes)
  get_filename_component(dir "${f}" DIRECTORY)
  foreach(inc IN LISTS includes)
    # inc is "<name>", "\"name\"" or the raw text of a computed include.
    if(inc MATCHES "^<(.*)>$")
      set(name "${CMAKE_MATCH_1}")
      if(NOT name IN_LIST std_headers)
        string(APPEND bad "\n  ${f}: #include ${inc}: not a C++ standard library header")
      endif()
    elseif(inc MATCHES "^\"(.*)\"$")
      # Where the compiler would find it: beside the file, else from the
      # project root (as "model/x.hpp"); it must be a file inside model/.
      set(found "")
      foreach(base "${dir}" "${model_parent}")
        if(NOT found AND EXISTS "${base}/${CMAKE_MATCH_1}")
          get_filename_component(found "${base}/${CMAKE_MATCH_1}" REALPATH)
        endif()
      endforeach()
      string(FIND "${found}" "${model_real}/" at)
      if(NOT at EQUAL 0)
        string(APPEND bad "\n  ${f}: #include ${inc}: not a header inside model/")
      endif()
    else()
      string(APPEND bad "\n  ${f}: #include ${inc}: a computed include cannot be checked")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "model/ may include only C++ standard library headers and its own:${bad}")
endif()
