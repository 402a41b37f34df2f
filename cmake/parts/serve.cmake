# oasis-serve: the HTTP server (libmicrohttpd's thread pool), its JSON API
# and its page. Its files are listed here, one a line.
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)
add_executable(oasis-serve
  serve/api.c
  serve/assets.c
  serve/gzip.c
  serve/html.c
  serve/http.c
  serve/layout.c
  serve/main.c
  serve/map.c
  serve/page.c
  serve/page_item.c
  serve/page_search.c
  serve/request.c
  serve/searchers.c
)
target_include_directories(oasis-serve PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/serve)
target_link_libraries(oasis-serve PRIVATE oasis_warnings oasis_cli oasis_jsonout oasis_static
  PkgConfig::JANSSON PkgConfig::MICROHTTPD PkgConfig::ZLIB Threads::Threads)
include(cmake/parts/page.cmake)       # the page's map and assets, compiled in
