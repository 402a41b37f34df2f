# What `cmake --install` puts in the prefix: both libraries (the shared one
# with its SONAME), the header, a pkg-config file, a CMake package
# (find_package(oasis) -> oasis::oasis, oasis::oasis_static), the
# programs and their man pages.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(OASIS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/oasis CACHE STRING
    "Where the CMake package of oasis is installed, under the prefix")
option(OASIS_INSTALL_RPATH "Installed programs find liboasis relative to themselves" ON)

# The installed programs find the installed library wherever the prefix is
# (a temporary prefix, /usr/local without ldconfig). oasis-query links
# liboasis.a: it needs no RUNPATH.
if(OASIS_INSTALL_RPATH AND NOT IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}"
   AND NOT IS_ABSOLUTE "${CMAKE_INSTALL_BINDIR}")
  file(RELATIVE_PATH _oasis_bin_to_lib /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR})
  set_target_properties(oasis-index PROPERTIES
    INSTALL_RPATH "$ORIGIN/${_oasis_bin_to_lib}")
endif()

# liboasis.a holds C++ objects: a program in C linking it with the C
# compiler needs the C++ runtime named (a C++ program names it anyway).
if(CMAKE_CXX_FLAGS MATCHES "-stdlib=libc\\+\\+")
  set(_oasis_cxx_runtime c++)
else()
  set(_oasis_cxx_runtime stdc++)
endif()
target_link_libraries(oasis_static INTERFACE $<INSTALL_INTERFACE:${_oasis_cxx_runtime}>)

install(TARGETS oasis oasis_static EXPORT oasisTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS oasis-index oasis-query oasis-serve RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${OASIS_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES docs/man/oasis-index.1 docs/man/oasis-query.1 docs/man/oasis-serve.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# pkg-config: prefix is found from the .pc file's own place. Its private
# libraries are those the static library's CMake package links (the
# link interface of oasis_static): Xapian, utf8proc and jansson by their
# own .pc files, libstemmer as found (-L only outside the linker's own
# directories), the thread library and the C++ runtime.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  message(FATAL_ERROR
    "oasis.pc needs CMAKE_INSTALL_LIBDIR and CMAKE_INSTALL_INCLUDEDIR relative to the prefix")
endif()
file(RELATIVE_PATH OASIS_PC_UP /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" OASIS_PC_UP "${OASIS_PC_UP}")
get_filename_component(_oasis_stemmer_dir "${Stemmer_LIBRARY}" DIRECTORY)
set(OASIS_PC_LIBS_PRIVATE "-lstemmer")
if(NOT _oasis_stemmer_dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
  set(OASIS_PC_LIBS_PRIVATE "-L${_oasis_stemmer_dir} -lstemmer")
endif()
string(APPEND OASIS_PC_LIBS_PRIVATE " -l${_oasis_cxx_runtime}")
if(CMAKE_THREAD_LIBS_INIT)
  string(APPEND OASIS_PC_LIBS_PRIVATE " ${CMAKE_THREAD_LIBS_INIT}")
endif()
configure_file(cmake/oasis.pc.in generated/oasis.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/generated/oasis.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package.
install(EXPORT oasisTargets NAMESPACE oasis:: DESTINATION ${OASIS_CMAKE_DIR}
  FILE oasisTargets.cmake)
# The static library's link interface names Stemmer::Stemmer: the package
# carries the module that finds it.
install(FILES cmake/FindStemmer.cmake DESTINATION ${OASIS_CMAKE_DIR})
configure_package_config_file(cmake/oasisConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/generated/oasisConfig.cmake
  INSTALL_DESTINATION ${OASIS_CMAKE_DIR})
# 0.x: the SONAME changes with the major version, and so does compatibility.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/generated/oasisConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/generated/oasisConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/generated/oasisConfigVersion.cmake
  DESTINATION ${OASIS_CMAKE_DIR})
