#!/bin/sh
# Usage: install_test.sh BUILD_DIR SOURCE_DIR CMAKE CC [EXTRA_FLAGS]
# Installs the build into a temporary prefix and uses it as another project
# would: examples/embed.c built against the installed copy with pkg-config
# (shared, then static), and with find_package(oasis) (oasis::oasis, then
# oasis::oasis_static); each build is run on an index of corpus/ made by the
# installed oasis-index, and must print what BUILD_DIR/examples/embed (the
# same program, built in the tree) prints. EXTRA_FLAGS go to every compile
# and link (the sanitizer build's).
set -eu

build=$1 src=$2 cmake=$3 cc=$4 extra=${5:-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oasis-install-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step() { printf '== %s\n' "$*"; }
die() {
    printf 'install test: %s\n' "$*" >&2
    exit 1
}

step "cmake --install into a temporary prefix"
"$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
    { cat "$tmp/install.log" >&2; die "cmake --install failed"; }

pc=$(find "$prefix" -name oasis.pc -path '*/pkgconfig/*')
[ -n "$pc" ] || die "no oasis.pc installed"
export PKG_CONFIG_PATH=$(dirname "$pc")
libdir=$(pkg-config --variable=libdir oasis)
includedir=$(pkg-config --variable=includedir oasis)
version=$("$prefix/bin/oasis-index" --version | sed 's/.* //')
for f in "$includedir/oasis.h" "$libdir/liboasis.so.$version" "$libdir/liboasis.a" \
    "$libdir/cmake/oasis/oasisConfig.cmake" "$libdir/cmake/oasis/oasisConfigVersion.cmake" \
    "$libdir/cmake/oasis/oasisTargets.cmake" "$prefix/bin/oasis-index" "$prefix/bin/oasis-query" \
    "$prefix/share/man/man1/oasis-index.1" "$prefix/share/man/man1/oasis-query.1"; do
    [ -f "$f" ] || die "not installed: ${f#"$prefix"/}"
done
major=${version%%.*}
[ -L "$libdir/liboasis.so.$major" ] && [ -L "$libdir/liboasis.so" ] ||
    die "liboasis.so.$major and liboasis.so should be links to liboasis.so.$version"
[ "$(pkg-config --modversion oasis)" = "$version" ] ||
    die "oasis.pc says version $(pkg-config --modversion oasis), the programs $version"

step "the CMake package names its dependencies by target"
# A path baked in (/usr/lib/.../libstemmer.so) would break the package on
# any other machine; every dependency is an imported target it finds.
if grep -h 'INTERFACE_LINK_LIBRARIES' "$libdir"/cmake/oasis/oasisTargets*.cmake | grep -q '/'; then
    grep -h 'INTERFACE_LINK_LIBRARIES' "$libdir"/cmake/oasis/oasisTargets*.cmake >&2
    die "the link interface of the CMake package holds a path"
fi
[ -f "$libdir/cmake/oasis/FindStemmer.cmake" ] || die "FindStemmer.cmake is not installed"

step "SONAME"
soname=$(readelf -d "$libdir/liboasis.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "liboasis.so.$major" ] || die "SONAME is '$soname', not liboasis.so.$major"
echo "$soname"

# $1 uses the installed liboasis.so, or no liboasis.so at all with $2 = static.
uses_installed() {
    needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(liboasis[^]]*\)\]/\1/p')
    if [ "${2:-}" = static ]; then
        [ -z "$needed" ] || die "$1 needs $needed: liboasis.a was not linked"
        return 0
    fi
    [ "$needed" = "liboasis.so.$major" ] || die "$1 needs '$needed', not liboasis.so.$major"
    loaded=$(ldd "$1" | sed -n "s/.*liboasis\.so\.$major => \([^ ]*\) .*/\1/p")
    [ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$libdir/liboasis.so.$major")" ] ||
        die "$1 does not load liboasis from $libdir: $(ldd "$1" | grep liboasis)"
}

step "the installed programs (no LD_LIBRARY_PATH) index corpus/"
uses_installed "$prefix/bin/oasis-index"
db=$tmp/oasis.db
(cd "$src" && "$prefix/bin/oasis-index" --quiet --index "$db" corpus/)
cp "$src/examples/embed.c" "$tmp/embed.c"

step "embed.c with pkg-config, shared"
# shellcheck disable=SC2046,SC2086 # flags are words
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror $extra -o "$tmp/embed-pc" "$tmp/embed.c" \
    $(pkg-config --cflags --libs oasis) -Wl,-rpath,"$libdir"
uses_installed "$tmp/embed-pc"

step "embed.c with pkg-config --static"
# Libraries other packages list as private (Xapian's -luuid -lz) are only
# needed with their static archives; those not installed are left out.
static_libs=""
for w in $(pkg-config --static --libs oasis); do
    case $w in
    -loasis) w=-l:liboasis.a ;;
    -l*)
        lib=${w#-l}
        if [ "$($cc -print-file-name="lib$lib.so")" = "lib$lib.so" ] &&
            [ "$($cc -print-file-name="lib$lib.a")" = "lib$lib.a" ]; then
            echo "(-l$lib is not installed: left out)"
            continue
        fi
        ;;
    esac
    static_libs="$static_libs $w"
done
# shellcheck disable=SC2046,SC2086
$cc -std=c11 -Wall -Wextra -Wpedantic -Werror $extra -o "$tmp/embed-pc-static" "$tmp/embed.c" \
    $(pkg-config --cflags oasis) $static_libs
uses_installed "$tmp/embed-pc-static" static

step "embed.c with find_package(oasis)"
mkdir "$tmp/consumer"
cp "$tmp/embed.c" "$tmp/consumer/"
cat >"$tmp/consumer/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(oasis $version REQUIRED COMPONENTS shared static)
add_executable(embed-cmake embed.c)
target_link_libraries(embed-cmake PRIVATE oasis::oasis)
add_executable(embed-cmake-static embed.c)
target_link_libraries(embed-cmake-static PRIVATE oasis::oasis_static)
EOF
"$cmake" -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" \
    -DCMAKE_BUILD_TYPE=Release >"$tmp/consumer.log" 2>&1 ||
    { cat "$tmp/consumer.log" >&2; die "configuring a project with find_package(oasis) failed"; }
"$cmake" --build "$tmp/consumer/build" >>"$tmp/consumer.log" 2>&1 ||
    { cat "$tmp/consumer.log" >&2; die "building against oasis::oasis failed"; }
uses_installed "$tmp/consumer/build/embed-cmake"
uses_installed "$tmp/consumer/build/embed-cmake-static" static

step "each build prints what the build tree's embed prints"
reference=$build/examples/embed
[ -x "$reference" ] || die "$reference is missing: build with OASIS_BUILD_EXAMPLES=ON"
# $@: the arguments of embed after the index.
check_query() {
    "$reference" "$db" "$@" >"$tmp/want" || die "$reference $* failed"
    total=$(sed -n '1s/^[0-9]* of \([0-9]*\) initiatives$/\1/p' "$tmp/want")
    [ -n "$total" ] && [ "$total" -gt 0 ] || die "$reference $*: '$(head -n 1 "$tmp/want")'"
    grep -q '^départements: ' "$tmp/want" || die "$reference $*: no facets"
    for exe in embed-pc embed-pc-static consumer/build/embed-cmake consumer/build/embed-cmake-static; do
        "$tmp/$exe" "$db" "$@" >"$tmp/out" || die "$exe $* failed"
        cmp -s "$tmp/want" "$tmp/out" || {
            diff "$tmp/want" "$tmp/out" >&2 || true
            die "$exe $* prints other results than $reference"
        }
    done
    echo "$*: $total initiatives, the same from all four builds"
}
check_query logement internes
check_query --dept 45 --dept 41 santé
check_query médecins
