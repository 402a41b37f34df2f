#!/bin/sh
# Usage: examples_test.sh EXAMPLES_DIR
# Runs the programs of examples/ as their comments show: index_jsonl on a
# JSON Lines file, embed and similar on the index it made, add_docs on an
# index of its own.
set -eu
ex=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oasis-examples-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
die() {
    printf 'examples test: %s\n' "$*" >&2
    exit 1
}

cat >"$tmp/in.jsonl" <<'JSONL'
{"id":"t-bus","title":"Un bus médical pour les villages","text":"Le bus médical passe chaque semaine dans les villages sans médecin.","departements":["18"]}
{"id":"t-internes","title":"Logement des internes","text":"Des logements meublés pour les internes en médecine.","departements":["Loiret"],"categories":["logement"]}
{"id":"t-bourse","title":"Bourse aux étudiants en médecine","text":"Une bourse pour les étudiants qui s'engagent à exercer dans le département.","departements":["45","41"]}
{"id":"t-broken","title":12}
JSONL

"$ex/index_jsonl" "$tmp/db" "$tmp/in.jsonl" >"$tmp/out" 2>"$tmp/err" || die "index_jsonl failed: $(cat "$tmp/err")"
grep -q '^indexed: 3, skipped: 1, warnings: 1; in the index: 3$' "$tmp/out" ||
    die "index_jsonl printed '$(cat "$tmp/out")'"
grep -q 'in.jsonl:4: warning: ' "$tmp/err" || die "index_jsonl: no warning for line 4: $(cat "$tmp/err")"

"$ex/embed" "$tmp/db" --dept 45 médecine >"$tmp/out" || die "embed failed"
head -n 1 "$tmp/out" | grep -q '^2 of 2 initiatives$' || die "embed printed '$(head -n 1 "$tmp/out")'"
grep -q '^départements: .*45 Loiret (2)' "$tmp/out" || die "embed: no département facet: $(cat "$tmp/out")"
rc=0
"$ex/embed" "$tmp/db" zzzqqq >"$tmp/out" || rc=$?
[ $rc = 1 ] || die "embed: exit status $rc, not 1, when nothing matches"

if [ -x "$ex/similar" ]; then
    "$ex/similar" "$tmp/db" bus villages >"$tmp/out" || die "similar failed"
    grep -q '^like: Un bus médical pour les villages (t-bus)$' "$tmp/out" ||
        die "similar printed '$(head -n 1 "$tmp/out")'"
    # The others are listed, never the initiative itself.
    grep -q '^1\. .* t-' "$tmp/out" || die "similar listed nothing: $(cat "$tmp/out")"
    if grep -q ' t-bus$' "$tmp/out"; then die "similar lists the initiative itself"; fi
    rc=0
    "$ex/similar" "$tmp/db" --id no-such-id >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ $rc = 2 ] && grep -q '^similar: ' "$tmp/err" || die "similar --id no-such-id: exit status $rc"
fi

"$ex/add_docs" "$tmp/docs.db" >"$tmp/out" || die "add_docs failed"
printf 'portal-2\tBourses pour les internes en médecine générale\t88,55\tetudiants\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || die "add_docs printed '$(cat "$tmp/out")'"
echo "examples: index_jsonl, embed, add_docs$( [ -x "$ex/similar" ] && echo ", similar") work"
