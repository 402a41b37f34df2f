#!/bin/sh
# Usage: man_test.sh MAN_DIR PROGRAM...
# Each PROGRAM's man page (MAN_DIR/NAME.1) documents every option its
# --help lists, as an item of its own (a .TP tag), and nothing --help does
# not list; the page names the version --version prints; groff, when
# installed, renders the page without a warning.
set -eu

man_dir=$1
shift
status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oasis-man-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
    printf '%s\n' "$*" >&2
    status=1
    page_ok=0
}

# The options of a help text: the items of its option lists, lines that
# begin with spaces then -x or --name.
help_options() {
    sed -n 's/^ \{1,\}\(-[A-Za-z0-9]\)\{0,1\}\(, \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\1 \3/p' "$1" |
        tr ' ' '\n' | grep . | sort -u
}

# The options a man page documents: the tag line after each .TP, with the
# roff escapes and font macros taken away.
man_options() {
    awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' "$1" |
        sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f([A-Z][A-Z]//g' -e 's/^\.[A-Z]* //' \
            -e 's/"//g' |
        grep -o -e '--[a-z][a-z0-9-]*' -e '^-[A-Za-z0-9]' -e '[ ,]-[A-Za-z0-9]\([ ,]\|$\)' |
        tr -d ' ,' | sort -u
}

for prog in "$@"; do
    name=$(basename "$prog")
    page=$man_dir/$name.1
    page_ok=1
    if [ ! -f "$page" ]; then
        fail "$name: no man page at $page"
        continue
    fi
    "$prog" --help >"$tmp/help"
    help_options "$tmp/help" >"$tmp/help.opts"
    man_options "$page" >"$tmp/man.opts"
    # The parsers found options at all (--help and --version at least).
    for must in --help --version; do
        grep -qx -- "$must" "$tmp/help.opts" || fail "$name: $must not found in --help: parser broken?"
    done
    for opt in $(comm -23 "$tmp/help.opts" "$tmp/man.opts"); do
        fail "$name: $opt is in --help but not documented in $page"
    done
    for opt in $(comm -13 "$tmp/help.opts" "$tmp/man.opts"); do
        fail "$name: $page documents $opt, which --help does not list"
    done

    version=$("$prog" --version | sed -n 's/.* \([0-9][0-9.]*\)$/\1/p')
    grep -q "^\.TH .*\"oasis $version\"" "$page" ||
        fail "$name: $page does not say \"oasis $version\" in its .TH line"

    if command -v groff >/dev/null 2>&1; then
        if ! groff -man -k -Tutf8 -ww -z "$page" >"$tmp/groff" 2>&1 || [ -s "$tmp/groff" ]; then
            fail "$name: groff warns about $page:"
            cat "$tmp/groff" >&2
        fi
    fi
    [ $page_ok = 1 ] && echo "$name: the $(wc -l <"$tmp/help.opts") options of --help are in $page"
done
exit $status
