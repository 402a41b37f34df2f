# The man pages of docs/man/ document every option the programs' --help
# lists (tests/man_test.sh).
add_test(NAME manpages
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/man_test.sh ${PROJECT_SOURCE_DIR}/docs/man
          $<TARGET_FILE:oasis-index> $<TARGET_FILE:oasis-query>)
