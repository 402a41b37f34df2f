#!/bin/sh
# Usage: check_layering.sh ROOT [RULES]
#        check_layering.sh --selftest ROOT [RULES]
# Checks the #include lines (and the string literals that name Xapian's
# files) of every C and C++ file under ROOT's src/, include/, indexer/,
# query/, cli/, serve/ and jsonout/ against the rules of RULES (default
# ROOT/tests/data/layering.tsv, which describes them), and that C++ files
# are only where the rules allow. Prints one line per broken rule, FILE:LINE
# first, and exits 1 when there is any; a known exception that nothing
# needs any more is an error too. On success, prints what it read and the
# known exceptions in use.
#
# --selftest: the same check on a copy of those directories in a temporary
# directory, first as they are (it must pass), then with includes and files
# that break each kind of rule added (it must fail, naming each of them).
set -eu

if [ "${1:-}" = --selftest ]; then
    root=$2
    rules=${3:-$root/tests/data/layering.tsv}
    self=$0
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/oasis-layering-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    for d in src include indexer query cli serve jsonout; do
        [ -d "$root/$d" ] && cp -R "$root/$d" "$tmp/$d"
    done
    mkdir -p "$tmp/tests/data"
    cp "$rules" "$tmp/tests/data/layering.tsv"
    sh "$self" "$tmp" >"$tmp/out" 2>&1 || {
        cat "$tmp/out"
        echo "selftest: the copy of the tree should pass as the tree does"
        exit 1
    }
    # One header of src/analysis, whatever its name.
    analysis_h=$(cd "$tmp/src" && ls analysis/*.h | head -n 1)
    printf '#include "%s"\n#include <utf8proc.h>\n#include <stdio.h>\n#include <xapian.h>\n' \
        "$analysis_h" >"$tmp/src/util/layering_bad.c"
    printf '#include <stdlib.h>\n#include <libstemmer.h>\n' >"$tmp/cli/layering_bad.h"
    printf 'static const char *v = "%s/iamglass";\n' "%s" >"$tmp/src/search/layering_bad.c"
    printf 'int f();\n' >"$tmp/src/index/layering_bad.cc"
    mkdir "$tmp/src/nomodule"
    printf '#include "oasis.h"\n' >"$tmp/src/nomodule/x.c"
    printf 'exception\tsrc/util\tsrc/search\n' >>"$tmp/tests/data/layering.tsv"
    if sh "$self" "$tmp" >"$tmp/out" 2>&1; then
        cat "$tmp/out"
        echo "selftest: the check passed a tree that breaks the rules"
        exit 1
    fi
    status=0
    for want in "src/util/layering_bad.c:1: #include \"$analysis_h\"" \
        "src/util/layering_bad.c:2: #include <utf8proc.h>" \
        "src/util/layering_bad.c:4: #include <xapian.h>" \
        "cli/layering_bad.h:2: #include <libstemmer.h>" \
        "src/search/layering_bad.c:1: \"%s/iamglass\"" \
        "src/index/layering_bad.cc: a C++ file" \
        "src/nomodule/x.c: module src/nomodule has no row" \
        "exception src/util src/search: nothing needs it"; do
        grep -qF "$want" "$tmp/out" || {
            echo "selftest: no line with '$want'"
            status=1
        }
    done
    if grep -q "layering_bad.c:3" "$tmp/out"; then
        echo "selftest: <stdio.h> was refused"
        status=1
    fi
    cat "$tmp/out"
    [ $status -eq 0 ] && echo "selftest: each broken rule was reported"
    exit $status
fi

root=$1
rules=${2:-$root/tests/data/layering.tsv}
cd "$root"
list=$(mktemp "${TMPDIR:-/tmp}/oasis-layering-XXXXXX")
trap 'rm -f "$list"' EXIT
for d in src include indexer query cli serve jsonout; do
    [ -d "$d" ] && find "$d" -type f
done | LC_ALL=C sort >"$list"

LC_ALL=C awk -v list="$list" -v rules_name="$rules" '
BEGIN { FS = "\t"; nerr = 0; rule_ok = 1 }

function err(msg) { errors[++nerr] = msg }

/^#/ || /^[ \t]*$/ { next }
{
    kind = $1; subj = $2; n = split($3, items, " ")
    if (kind == "module") {
        module[subj] = 1
        for (i = 1; i <= n; i++)
            if (items[i] != "-")
                allow[subj, items[i]] = 1
    } else if (kind == "library") {
        for (i = 1; i <= n; i++)
            libhdr[items[i]] = subj
    } else if (kind == "literal") {
        for (i = 1; i <= n; i++) {
            w = items[i]
            gsub(/\./, "[.]", w)
            if (subj in litre)
                w = litre[subj] "|" w
            litre[subj] = w
        }
    } else if (kind == "cxx") {
        cxx[subj] = 1
    } else if (kind == "exception") {
        for (i = 1; i <= n; i++) {
            exc[subj, items[i]] = FNR
            excs[++nexc] = subj SUBSEP items[i]
        }
    } else {
        err(rules_name ":" FNR ": unknown kind of row \"" kind "\"")
    }
}

# The module of a file or header path: src for the files directly in src/,
# src/NAME under src/NAME/, the top directory elsewhere.
function module_of(p,   a, n) {
    n = split(p, a, "/")
    if (a[1] == "src")
        return n > 2 ? "src/" a[2] : "src"
    return a[1]
}

function exists(p,   line, r) {
    r = (getline line < p)
    close(p)
    return r >= 0
}

# 1 when the header path or library (or literal) name target may be used by
# file f of module mod, by a rule or by a known exception (then marked as
# used, first at f:line).
function allowed(mod, f, line, target,   k, a, s, x) {
    if ((mod, target) in allow)
        return 1
    for (k in allow) {
        split(k, a, SUBSEP)
        if (a[1] == mod && index(target, a[2] "/") == 1)
            return 1
    }
    for (k in exc) {
        split(k, a, SUBSEP)
        s = a[1]; x = a[2]
        if ((s == f || s == mod) && (target == x || index(target, x "/") == 1)) {
            if (!(k in used))
                used[k] = f ":" line
            return 1
        }
    }
    return 0
}

# The path of a project header #include-d from file f, or "" when it is
# not one: the directory of f first for "...", then the include paths of
# the build (src/, include/, cli/, jsonout/).
function resolve(name, quoted, f,   dir, p) {
    dir = f
    sub(/\/[^\/]*$/, "", dir)
    if (quoted && exists(dir "/" name))
        return dir "/" name
    if (exists("src/" name))
        return "src/" name
    if (exists("include/" name))
        return "include/" name
    if (exists("cli/" name))
        return "cli/" name
    if (exists("jsonout/" name))
        return "jsonout/" name
    return ""
}

function library_of(name,   h) {
    if (name in libhdr)
        return libhdr[name]
    for (h in libhdr)
        if (h ~ /\/$/ && index(name, h) == 1)
            return libhdr[h]
    return ""
}

# line without its comments; incomment carries a /* */ across lines.
function code_of(s,   out, i) {
    out = ""
    while (s != "") {
        if (incomment) {
            i = index(s, "*/")
            if (!i)
                return out
            s = substr(s, i + 2)
            incomment = 0
        } else {
            i = index(s, "/*")
            if (i && (!index(s, "//") || index(s, "//") > i)) {
                out = out substr(s, 1, i - 1) " "
                s = substr(s, i + 2)
                incomment = 1
            } else {
                if (index(s, "//"))
                    s = substr(s, 1, index(s, "//") - 1)
                return out s
            }
        }
    }
    return out
}

function check(f,   mod, line, lineno, code, s, opener, closer, e, name, shown, target, lib,
               l, m, c, k) {
    if (f !~ /\.(c|h|cc|cpp|cxx|hh|hpp|hxx)$/)
        return
    nfiles++
    mod = module_of(f)
    if (!(mod in module)) {
        err(f ": module " mod " has no row in " rules_name)
        return
    }
    if (f ~ /\.(cc|cpp|cxx|hh|hpp|hxx)$/) {
        c = 0
        for (k in cxx)
            if (index(f, k "/") == 1)
                c = 1
        if (!c)
            err(f ": a C++ file outside the directories C++ may be in (cxx rows of " rules_name ")")
    }
    lineno = 0
    incomment = 0
    while ((getline line < f) > 0) {
        lineno++
        code = code_of(line)
        if (code ~ /^[ \t]*#[ \t]*include[ \t]*[<"]/) {
            s = code
            sub(/^[ \t]*#[ \t]*include[ \t]*/, "", s)
            opener = substr(s, 1, 1)
            closer = opener == "<" ? ">" : "\""
            s = substr(s, 2)
            e = index(s, closer)
            if (!e)
                continue
            name = substr(s, 1, e - 1)
            shown = opener name closer
            nincludes++
            target = resolve(name, opener == "\"", f)
            if (target != "") {
                if (module_of(target) != mod && !allowed(mod, f, lineno, target))
                    err(f ":" lineno ": #include " shown ": " target " is in " module_of(target) \
                        ", which " mod " may not include")
                continue
            }
            lib = library_of(name)
            if (lib != "") {
                if (!allowed(mod, f, lineno, lib))
                    err(f ":" lineno ": #include " shown ": library " lib ", which " mod \
                        " may not use")
            } else if (opener == "\"") {
                err(f ":" lineno ": #include " shown \
                    ": no such header in its directory, src/, include/, cli/ or jsonout/")
            }
        }
        for (l in litre) {
            if (match(code, "\"[^\"]*(" litre[l] ")[^\"]*\"")) {
                m = substr(code, RSTART, RLENGTH)
                if (!allowed(mod, f, lineno, l))
                    err(f ":" lineno ": " m ": knowledge of " l ", which " mod " may not have")
            }
        }
    }
    close(f)
}

END {
    while ((getline f < list) > 0)
        check(f)
    close(list)
    for (i = 1; i <= nexc; i++)
        if (!(excs[i] in used)) {
            split(excs[i], a, SUBSEP)
            err(rules_name ":" exc[a[1], a[2]] ": exception " a[1] " " a[2] \
                ": nothing needs it any more, remove it")
        }
    if (nerr) {
        for (i = 1; i <= nerr; i++)
            print errors[i]
        print nerr " broken layering rule(s); the rules: " rules_name
        exit 1
    }
    print nfiles " files, " nincludes " includes: every rule of " rules_name " kept"
    for (i = 1; i <= nexc; i++) {
        split(excs[i], a, SUBSEP)
        print "known exception: " a[1] " uses " a[2] " (first at " used[excs[i]] ")"
    }
}
' "$rules"
