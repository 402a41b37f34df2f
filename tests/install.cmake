# `cmake --install` into a temporary prefix, then examples/embed.c built
# against the installed copy with pkg-config and with find_package(oasis)
# (tests/install_test.sh). Needs everything built: it runs after `cmake
# --build`, like every test, and compares with examples/embed built there.
set(_oasis_install_flags "")
if(OASIS_SANITIZE)
  set(_oasis_install_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
endif()
# The build tree's examples/embed gives the output to expect.
if(TARGET example_embed)
  add_test(NAME install
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install_test.sh ${PROJECT_BINARY_DIR}
            ${PROJECT_SOURCE_DIR} ${CMAKE_COMMAND} ${CMAKE_C_COMPILER} "${_oasis_install_flags}")
  set_tests_properties(install PROPERTIES TIMEOUT 120)
endif()
