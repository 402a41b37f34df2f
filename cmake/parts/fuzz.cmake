# libFuzzer targets: fuzz/fuzz_NAME.c becomes the program fuzz_NAME, built
# with clang and -fsanitize=fuzzer,address,undefined when -DOASIS_FUZZ=ON
# (scripts/fuzz configures such a build and runs them). The library's
# objects get the coverage instrumentation the fuzzer steers by.
# -DOASIS_FUZZ_STACK_DEPTH=OFF leaves out the stack depth among what it
# steers by: that depth moves with where the stack starts, so runs of the
# same inputs would differ (scripts/fuzz --ci, the fixed run of CI).
option(OASIS_FUZZ "Build the libFuzzer targets of fuzz/ (needs clang)" OFF)
option(OASIS_FUZZ_STACK_DEPTH "Let libFuzzer steer by stack depth too" ON)
# One a line: also built, without libFuzzer, as the regression tests
# fuzz_NAME of every build (tests/reliability/CMakeLists.txt).
set(OASIS_FUZZ_TARGETS
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_analyzer.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_docdata.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_encoding.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_jsonl.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_listing.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_query.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_records.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_tsv.c
)
if(OASIS_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang" OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "OASIS_FUZZ needs clang: CC=clang CXX=clang++ cmake ...")
  endif()
  set(OASIS_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  if(NOT OASIS_FUZZ_STACK_DEPTH)
    list(APPEND OASIS_FUZZ_FLAGS -fno-sanitize-coverage=stack-depth)
  endif()
  target_compile_options(oasis_objects PRIVATE -fsanitize=fuzzer-no-link ${OASIS_FUZZ_FLAGS})
  foreach(src ${OASIS_FUZZ_TARGETS})
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src})
    target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src
                               ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
    target_compile_definitions(${name} PRIVATE OASIS_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}")
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer ${OASIS_FUZZ_FLAGS})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer ${OASIS_FUZZ_FLAGS})
    target_link_libraries(${name} PRIVATE oasis_objects oasis_warnings)
    set_target_properties(${name} PROPERTIES LINKER_LANGUAGE CXX)
  endforeach()
endif()
