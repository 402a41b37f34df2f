# A full disk (tests/test_enospc.c) and crashes (tests/test_crash.c):
# oasis-index runs with
# tests/enospc_shim.c preloaded, a small library that makes writes under
# a directory fail with ENOSPC after a number of bytes. Built for the
# tests only, never installed; without the sanitizers, so that it loads
# into any program (the sanitizer build runs it with
# ASAN_OPTIONS=verify_asan_link_order=0, since it comes before the ASan
# runtime), and with its write functions visible so that they interpose.
add_library(oasis_enospc_shim MODULE enospc_shim.c)
target_link_libraries(oasis_enospc_shim PRIVATE ${CMAKE_DL_LIBS})
set_target_properties(oasis_enospc_shim PROPERTIES C_VISIBILITY_PRESET default PREFIX "")
if(OASIS_SANITIZE)
  target_compile_options(oasis_enospc_shim PRIVATE -fno-sanitize=all)
  target_link_options(oasis_enospc_shim PRIVATE -fno-sanitize=all)
endif()
# The crash and sources tests kill oasis-index through it at chosen
# points (its OASIS_ENOSPC_KILL mode).
foreach(t enospc crash sources)
  add_dependencies(test_${t} oasis-index oasis-query oasis_enospc_shim)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "OASIS_ENOSPC_SHIM=$<TARGET_FILE:oasis_enospc_shim>")
endforeach()
set_tests_properties(enospc PROPERTIES TIMEOUT 300)
