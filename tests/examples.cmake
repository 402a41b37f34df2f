# The programs of examples/ run as their comments show
# (tests/examples_test.sh).
if(TARGET example_embed AND TARGET example_index_jsonl AND TARGET example_add_docs)
  add_test(NAME examples COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/examples_test.sh
           ${PROJECT_BINARY_DIR}/examples)
endif()
