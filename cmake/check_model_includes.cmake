# Fails the build when a file in model/ includes anything but the C++ standard
# library's headers or model/'s own: model/ is the real core and must stay
# free of the simulator and of third-party libraries.
file(GLOB_RECURSE model_files "${MODEL_DIR}/*.hpp" "${MODEL_DIR}/*.cpp")
set(bad "")
foreach(f IN LISTS model_files)
  file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "[<\"](simgrid|boost|nlohmann|rapidcheck|gtest|CLI|xbt)[/.]")
      string(APPEND bad "\n  ${f}: ${line}")
    endif()
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "model/ may include only the C++ standard library:${bad}")
endif()
