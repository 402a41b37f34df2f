# Tables compiled in already parsed: tools/gen_tables.c, built for the build
# machine from the library's own analyzer sources, turns
# corpus/departements.tsv and corpus/place-names.tsv (fold keys made) and corpus/synonyms.tsv (every
# expression analysed) into C arrays that liboasis uses as they are, so that
# no process parses, folds or analyses them at start. A malformed table
# fails the build; tests/unit/taxonomy/test_tables.c checks the arrays
# against what the library computes from the embedded text at run time.
add_executable(oasis_gen_tables tools/gen_tables.c
  src/analysis/analyzer.c src/analysis/stem.c src/analysis/stopwords.c src/analysis/utf8.c
  src/util/buf.c src/util/error.c src/util/tsv.c src/util/vec.c)
target_include_directories(oasis_gen_tables PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/include ${CMAKE_CURRENT_SOURCE_DIR}/src)
target_link_libraries(oasis_gen_tables PRIVATE PkgConfig::UTF8PROC Stemmer::Stemmer oasis_warnings)

function(oasis_gen_table kind file out)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/generated/${out})
  add_custom_command(
    OUTPUT ${out}
    # A sanitizer build's generator must not fail the build on its exit-time checks.
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
            $<TARGET_FILE:oasis_gen_tables> ${kind} ${CMAKE_CURRENT_SOURCE_DIR}/${file} ${out}
    DEPENDS oasis_gen_tables ${CMAKE_CURRENT_SOURCE_DIR}/${file}
    COMMENT "Compiling the table ${file}")
  target_sources(oasis_objects PRIVATE ${out})
endfunction()
oasis_gen_table(departements corpus/departements.tsv oa_departements_table.c)
oasis_gen_table(synonyms corpus/synonyms.tsv oa_synonyms_table.c)
oasis_gen_table(placenames corpus/place-names.tsv oa_place_names_table.c)
