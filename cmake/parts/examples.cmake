# examples/*.c: short programs written against include/oasis.h alone,
# built with everything else so they keep compiling as the API moves.
# Each becomes build/examples/NAME.
option(OASIS_BUILD_EXAMPLES "Build the programs of examples/" ON)
if(OASIS_BUILD_EXAMPLES)
  set(OASIS_EXAMPLES
    examples/add_docs.c
    examples/embed.c
    examples/index_jsonl.c
    examples/similar.c
  )
  foreach(src ${OASIS_EXAMPLES})
    get_filename_component(name ${src} NAME_WE)
    add_executable(example_${name} ${src})
    target_link_libraries(example_${name} PRIVATE oasis oasis_warnings)
    set_target_properties(example_${name} PROPERTIES OUTPUT_NAME ${name}
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/examples)
  endforeach()
endif()
