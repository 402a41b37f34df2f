# liboasis.so exports the public API and nothing else. -fvisibility=hidden
# covers our own code, but template instances and type_info objects of
# Xapian's classes keep Xapian's default visibility; a version script makes
# everything local except the oasis_* functions (tests/programs/CMakeLists.txt checks the
# result against include/oasis.h).
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE AND NOT WIN32)
  set(OASIS_VERSION_SCRIPT ${CMAKE_CURRENT_BINARY_DIR}/generated/liboasis.map)
  file(WRITE ${OASIS_VERSION_SCRIPT} "{\n  global: oasis_*;\n  local: *;\n};\n")
  target_link_options(oasis PRIVATE "LINKER:--version-script=${OASIS_VERSION_SCRIPT}")
  set_property(TARGET oasis APPEND PROPERTY LINK_DEPENDS ${OASIS_VERSION_SCRIPT})
endif()
