# Tests of liboasis as a product of its own: what the shared library
# exports (test_api_symbols.c) and whether each public header stands alone.

# test_api_symbols compares `nm -D` of the shared library with oasis.h.
add_dependencies(test_api_symbols oasis)
set_property(TEST api_symbols APPEND PROPERTY ENVIRONMENT
  "OASIS_LIBRARY=$<TARGET_FILE:oasis>;OASIS_NM=${CMAKE_NM}")

# Every public header compiles alone, as C11 and as C++17, with strict
# warnings as errors; its *_INIT macros initialise every field, version
# first. The C++
# unit is also linked with liboasis.so and run, which works only if the
# declarations are extern "C". The units are compiled when the tests run,
# so a broken header fails a test, not everyone's build.
file(GLOB OASIS_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/*.h)
set(_oasis_hdr_dir ${CMAKE_CURRENT_BINARY_DIR}/api_headers)
file(MAKE_DIRECTORY ${_oasis_hdr_dir})
# A sanitized liboasis.so links only into a sanitized program.
set(_oasis_san "")
if(OASIS_SANITIZE)
  set(_oasis_san -fsanitize=address,undefined)
endif()
foreach(header ${OASIS_PUBLIC_HEADERS})
  get_filename_component(hname ${header} NAME_WE)
  file(READ ${header} _text)
  # OASIS_FOO_OPTIONS_INIT initialises oasis_foo_options.
  string(REGEX MATCHALL "#define[ \t]+OASIS_[A-Z0-9_]+_INIT" _inits "${_text}")
  set(_vars "")
  set(_uses "1")
  set(_i 0)
  foreach(def ${_inits})
    string(REGEX REPLACE "#define[ \t]+" "" macro "${def}")
    string(REGEX REPLACE "_INIT$" "" type "${macro}")
    string(TOLOWER "${type}" type)
    string(APPEND _vars "static ${type} init_${_i} = ${macro};\n")
    string(APPEND _uses " && init_${_i}.version != 0")
    math(EXPR _i "${_i} + 1")
  endforeach()
  set(_body "#include \"${hname}.h\"\n#include \"${hname}.h\" /* include guard */\n${_vars}")
  file(WRITE ${_oasis_hdr_dir}/${hname}_c.c
    "${_body}int header_check(void);\nint header_check(void) { return ${_uses}; }\n")
  if(hname STREQUAL "oasis")
    set(_main "int main() { return ${_uses} && oasis_version()[0] == '0' + OASIS_VERSION_MAJOR ? 0 : 1; }\n")
  else()
    set(_main "int main() { return ${_uses} ? 0 : 1; }\n")
  endif()
  file(WRITE ${_oasis_hdr_dir}/${hname}_cxx.cc "${_body}${_main}")

  add_test(NAME api_header_c_${hname}
    COMMAND ${CMAKE_C_COMPILER} -std=c11 -fsyntax-only -Wall -Wextra -Wpedantic -Werror
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wmissing-field-initializers
            -I${PROJECT_SOURCE_DIR}/include ${_oasis_hdr_dir}/${hname}_c.c)
  string(JOIN " " _cxx_cmd ${CMAKE_CXX_COMPILER} -std=c++17 ${_oasis_san}
    -Wall -Wextra -Wpedantic -Werror -Wshadow -Wold-style-cast -Wzero-as-null-pointer-constant
    -Wmissing-field-initializers -I${PROJECT_SOURCE_DIR}/include
    ${_oasis_hdr_dir}/${hname}_cxx.cc -o ${_oasis_hdr_dir}/${hname}_cxx
    $<TARGET_FILE:oasis> -Wl,-rpath,$<TARGET_FILE_DIR:oasis>)
  add_test(NAME api_header_cxx_${hname}
    COMMAND sh -c "rm -f ${_oasis_hdr_dir}/${hname}_cxx && ${_cxx_cmd} && ${_oasis_hdr_dir}/${hname}_cxx")
endforeach()
