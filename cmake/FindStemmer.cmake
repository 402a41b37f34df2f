# Finds libstemmer, Snowball's C library (Debian: libstemmer-dev), which
# ships neither a pkg-config file nor a CMake package. Gives
#   Stemmer::Stemmer       an IMPORTED target: the library and the
#                          directory of libstemmer.h
#   Stemmer_FOUND, Stemmer_LIBRARY, Stemmer_INCLUDE_DIR
# Stemmer_ROOT (or CMAKE_PREFIX_PATH) points to another installation.
# Installed with oasis's CMake package, whose static library needs it.
find_path(Stemmer_INCLUDE_DIR NAMES libstemmer.h PATH_SUFFIXES libstemmer)
find_library(Stemmer_LIBRARY NAMES stemmer)
mark_as_advanced(Stemmer_INCLUDE_DIR Stemmer_LIBRARY)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Stemmer REQUIRED_VARS Stemmer_LIBRARY Stemmer_INCLUDE_DIR)

if(Stemmer_FOUND AND NOT TARGET Stemmer::Stemmer)
  add_library(Stemmer::Stemmer UNKNOWN IMPORTED)
  set_target_properties(Stemmer::Stemmer PROPERTIES
    IMPORTED_LOCATION "${Stemmer_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Stemmer_INCLUDE_DIR}")
endif()
