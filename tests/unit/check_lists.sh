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
#   tests/KIND/**/test_*.c   tests/KIND/CMakeLists.txt (KIND: unit,
#                            programs, reliability), as a path relative to it
# A test_*.c anywhere else under tests/ is an error too.
set -eu
cd "$1"
status=0

# The words of a CMake file, one a line, without ${CMAKE_CURRENT_SOURCE_DIR}/.
words() {
    tr -s ' \t()"' '\n\n\n\n\n' <"$1" | sed 's|^\${CMAKE_CURRENT_SOURCE_DIR}/||'
}

# listed LISTFILE PATH-AS-LISTED SHOWN
listed() {
    if ! words "$1" | grep -qxF "$2"; then
        echo "$3: in no list: add the line '$2' to $1"
        status=1
    fi
}

for f in $(find src -name '*.c' -o -name '*.cc' | LC_ALL=C sort); do
    listed CMakeLists.txt "$f" "$f"
done
for f in $(find include -name '*.h' | LC_ALL=C sort); do
    listed CMakeLists.txt "include/${f#include/}" "$f"
done
for f in $(find examples -name '*.c' | LC_ALL=C sort); do
    listed cmake/parts/examples.cmake "$f" "$f"
done
for f in $(find fuzz -name 'fuzz_*.c' | LC_ALL=C sort); do
    listed cmake/parts/fuzz.cmake "$f" "$f"
done
for f in $(find tools -name '*.c' | LC_ALL=C sort); do
    listed cmake/parts/tables.cmake "$f" "$f"
done
for f in $(find tests -name 'test_*.c' | LC_ALL=C sort); do
    case $f in
    tests/unit/*/* | tests/programs/* | tests/reliability/*)
        kind=${f#tests/}
        kind=${kind%%/*}
        listed "tests/$kind/CMakeLists.txt" "${f#tests/"$kind"/}" "$f"
        ;;
    *)
        echo "$f: a test outside tests/unit/MODULE/, tests/programs/ and tests/reliability/"
        status=1
        ;;
    esac
done
[ $status -eq 0 ] && echo "every source, header, example, fuzz target, tool and test is listed"
exit $status
