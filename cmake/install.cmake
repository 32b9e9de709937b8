# What `cmake --install` puts where, and the Debian package `cpack -G DEB`
# builds from the same tree: the failsim binary, the scenario library with
# its JSON Schema, the docs, and bash completion.
include(GNUInstallDirs)
install(TARGETS failsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The library scenarios, the sweep files and the scenario schema
# (share/failsim/scenarios/scenario.schema.json and sweeps/sweep.schema.json,
# for editors' "$schema").
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/failsim/scenarios
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/scripts/failsim-completion.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME failsim)

# cpack and `make install` package what is built, and never start a build
# themselves (tests/install runs cpack on the tested build).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_PACKAGE_NAME failsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Simulator and verification testbed for clustered file-server failover")
set(CPACK_PACKAGE_CONTACT "failsim maintainers <failsim@localhost>")
set(CPACK_GENERATOR DEB)
# The shared libraries the binary links (SimGrid, Boost, OpenSSL) become the
# package's dependencies, read off the binary by dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
