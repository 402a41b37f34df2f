# Limits and variants of the reliability tests (tests/test_badinput.c,
# crash, concurrency, rebuild_queries, corrupt, garbled, incremental,
# sources, extreme_queries, engine_errors): each must end in bounded time, a
# hang being a failure too. The crash test is the longest, in the sanitizer
# build above all; OASIS_CRASH_KILLS gives more kills by hand.
foreach(t badinput crash concurrency rebuild_queries corrupt garbled incremental sources
          extreme_queries engine_errors)
  add_dependencies(test_${t} oasis-index oasis-query) # they run the programs
endforeach()
set_tests_properties(crash PROPERTIES TIMEOUT 600)
set_tests_properties(extreme_queries concurrency rebuild_queries garbled corrupt badinput
                     incremental sources engine_errors PROPERTIES TIMEOUT 300)

# Garbled tables: oasis-index in garbled, oasis-query in garbled_query.
# Under the sanitizers, ASan's memcpy interceptor reports libxapian's own
# out-of-bounds copies on damaged tables (libxapian is not ours to fix):
# the normal build is where the programs are shown to survive them.
# libxapian 1.4.22 can also loop without end inside commit_transaction()
# on some damaged tables (seen under gdb: oasis-index spinning in the
# B-tree code), and whether a given damage does so depends on the bytes of
# the fresh index: the test kills a run still going after 10 s, counts it
# apart and stops after 3 such, so its time stays bounded.
# -DOASIS_TEST_GARBLED=OFF leaves both out.
option(OASIS_TEST_GARBLED "Run the garbled-index tests" ON)
set_property(TEST garbled APPEND PROPERTY ENVIRONMENT "OASIS_GARBLE_PROGRAMS=index")
add_test(NAME garbled_query COMMAND test_garbled)
set_tests_properties(garbled_query PROPERTIES TIMEOUT 300 ENVIRONMENT
  "OASIS_SOURCE_DIR=${PROJECT_SOURCE_DIR};OASIS_INDEX_BIN=$<TARGET_FILE:oasis-index>;OASIS_QUERY_BIN=$<TARGET_FILE:oasis-query>;OASIS_GARBLE_PROGRAMS=query;CMOCKA_MESSAGE_OUTPUT=stdout")
if(OASIS_SANITIZE OR NOT OASIS_TEST_GARBLED)
  set_tests_properties(garbled garbled_query PROPERTIES DISABLED TRUE)
endif()
