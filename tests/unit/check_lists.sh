#!/bin/sh
# Usage: check_lists.sh ROOT
# The build lists its files one by one; this fails, naming each, when a
# file is on disk but in no list, so that a new file cannot be left out
# of the build or a new test out of ctest:
#   src/**/*.c, src/**/*.cc  CMakeLists.txt (OASIS_SOURCES)
#   include/*.h              CMakeLists.txt (OASIS_PUBLIC_HEADERS)
#   examples/*.c             cmake/parts/examples.cmake
#   fuzz/fuzz_*.c            cmake/parts/fuzz.cmake
#   tools/*.c                cmake/parts/tables.cmake
#   serve/*.c                cmake/parts/serve.cmake
#   jsonout/*.c              CMakeLists.txt
#   tests/KIND/**/test_*.c   tests/KIND/CMakeLists.txt (KIND: unit,
#                            programs, reliability), as a path relative to it
# A test_*.c anywhere else under tests/ is an error too.
set -eu
cd "$1"

# One line per file: the list that should name it, the path as named there,
# the file.
{
    find src -name '*.c' -o -name '*.cc' | sed 's|.*|CMakeLists.txt & &|'
    find include -name '*.h' | sed 's|.*|CMakeLists.txt & &|'
    find examples -name '*.c' | sed 's|.*|cmake/parts/examples.cmake & &|'
    find fuzz -name 'fuzz_*.c' | sed 's|.*|cmake/parts/fuzz.cmake & &|'
    find tools -name '*.c' | sed 's|.*|cmake/parts/tables.cmake & &|'
    find serve -name '*.c' | sed 's|.*|cmake/parts/serve.cmake & &|'
    find jsonout -name '*.c' | sed 's|.*|CMakeLists.txt & &|'
    find tests -name 'test_*.c' |
        sed -E 's#^tests/(unit|programs|reliability)/(.*)$#tests/\1/CMakeLists.txt \2 &#
                t
                s#.*#- - &#'
} | LC_ALL=C sort -k3 | LC_ALL=C awk '
function load(list,   line, n, w, i) {
    loaded[list] = 1
    while ((getline line < list) > 0) {
        n = split(line, w, /[ \t()"]+/)
        for (i = 1; i <= n; i++) {
            sub(/^\$\{CMAKE_CURRENT_SOURCE_DIR\}\//, "", w[i])
            named[list, w[i]] = 1
        }
    }
    close(list)
}
{
    list = $1; as_listed = $2; file = $3
    if (list == "-" || (file ~ /^tests\/unit\// && as_listed !~ /\//)) {
        print file ": a test outside tests/unit/MODULE/, tests/programs/ and tests/reliability/"
        bad = 1
        next
    }
    if (!(list in loaded))
        load(list)
    if (!((list, as_listed) in named)) {
        print file ": in no list: add the line \"" as_listed "\" to " list
        bad = 1
    }
}
END {
    if (bad)
        exit 1
    print "every source, header, example, fuzz target, tool and test is listed"
}'
