# failsim_include_lines(FILE OUT): the targets of FILE's #include directives,
# each as written ("<name>", "\"name\"", or the raw text of a computed include),
# for the include checks (check_model_includes.cmake, check_layers.cmake).
# A directive inside a block comment counts too: the checks err on the strict side.
function(failsim_include_lines file out)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include")
  set(result "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*(<[^>]*>|\"[^\"]*\")")
      list(APPEND result "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^[ \t]*#[ \t]*include[ \t]*([^ \t/]*)")
      list(APPEND result "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()
