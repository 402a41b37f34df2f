# The fuzz targets' checks in every build, without libFuzzer: each
# fuzz/fuzz_NAME.c linked with fuzz/regress_main.c runs, as the ctest test
# fuzz_NAME, on its regression cases (tests/data/fuzz/NAME/: inputs that
# once crashed it) and on seeds from corpus/ and tests/data/.
set(_fuzz_seeds_records ${PROJECT_SOURCE_DIR}/corpus/records-departements-initiatives.txt
    ${PROJECT_SOURCE_DIR}/tests/data/bad)
set(_fuzz_seeds_listing ${PROJECT_SOURCE_DIR}/corpus/listing-departements-initiatives.txt
    ${PROJECT_SOURCE_DIR}/tests/data/corpus_listing_boilerplate.txt ${PROJECT_SOURCE_DIR}/tests/data/bad)
set(_fuzz_seeds_jsonl ${PROJECT_SOURCE_DIR}/tests/data/corpus_sample.jsonl
    ${PROJECT_SOURCE_DIR}/tests/data/bad)
set(_fuzz_seeds_encoding ${PROJECT_SOURCE_DIR}/corpus/records-departements-initiatives.txt
    ${PROJECT_SOURCE_DIR}/corpus/listing-departements-initiatives.txt ${PROJECT_SOURCE_DIR}/tests/data/bad)
set(_fuzz_seeds_analyzer ${PROJECT_SOURCE_DIR}/tests/data/analyzer_cases.tsv
    ${PROJECT_SOURCE_DIR}/corpus/records-departements-initiatives.txt)
set(_fuzz_seeds_query "")
set(_fuzz_seeds_docdata ${PROJECT_SOURCE_DIR}/tests/data/corpus_sample.jsonl
    ${PROJECT_SOURCE_DIR}/tests/data/bad/crlf.jsonl)
set(_fuzz_seeds_tsv ${PROJECT_SOURCE_DIR}/corpus/categories.tsv
    ${PROJECT_SOURCE_DIR}/corpus/category-rules.tsv ${PROJECT_SOURCE_DIR}/corpus/synonyms.tsv
    ${PROJECT_SOURCE_DIR}/corpus/departements.tsv ${PROJECT_SOURCE_DIR}/tests/data/query_places.tsv)
foreach(src ${OASIS_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" short ${name})
  add_executable(regress_${name} ${src} ${PROJECT_SOURCE_DIR}/fuzz/regress_main.c)
  target_include_directories(regress_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src
                             ${PROJECT_SOURCE_DIR}/fuzz)
  target_compile_definitions(regress_${name} PRIVATE OASIS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(regress_${name} PRIVATE oasis_objects)
  set_target_properties(regress_${name} PROPERTIES LINKER_LANGUAGE CXX)
  set(_cases ${PROJECT_SOURCE_DIR}/tests/data/fuzz/${short})
  if(NOT EXISTS ${_cases})
    set(_cases "")
  endif()
  add_test(NAME ${name} COMMAND regress_${name} ${_cases} ${_fuzz_seeds_${short}})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "OASIS_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endforeach()
