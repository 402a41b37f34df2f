/* oasis-index --jobs and --shards: a build with several writers holds
 * exactly what one writer's holds (documents, stored data, values, terms
 * with their positions, metadata, spellings); a sharded index holds the
 * same, each document in the shard its id's hash names, and stays so
 * through incremental runs and --prune; its number of shards is kept. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clitest.h"
#include "testutil.h"
#include "util/hash.h"
#include "xapian/xapc.h"

#define SHARDS 3

/* Words of the generated texts: a few hundred distinct ones, so that
 * terms, positions and the spelling table have something to differ in. */
static const char *const vocab[] = {
    "santé",      "médecins",    "logement",  "internes",   "étudiants",  "maison",
    "centre",     "bus",         "dentistes", "infirmiers", "aide",       "installation",
    "bourse",     "stage",       "territoire", "rural",     "commune",    "département",
    "plan",       "appel",       "projets",   "pharmacie",  "urgence",    "hôpital",
    "consultation", "prévention", "soins",    "accès",      "désert",     "médical",
    "jeunes",     "formation",   "université", "attractivité", "cabinet", "salariés",
};

static uint32_t rng = 12345;

static unsigned next(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) & 0x7fff;
}

/* A word: one of vocab, or (one in five) vocab with a numbered suffix. */
static void word(ct_str *s)
{
    const char *w = vocab[next() % (sizeof vocab / sizeof *vocab)];
    ct_str_puts(s, w);
    if (next() % 5 == 0) {
        char n[16];
        snprintf(n, sizeof n, "x%u", next() % 200);
        ct_str_puts(s, n);
    }
}

/* A JSON Lines file of n records, ids prefix-0 … prefix-(n-1), the text
 * drawn from seed. */
static void write_file(const char *path, const char *prefix, int n, uint32_t seed)
{
    rng = seed;
    ct_str s = {NULL, 0, 0};
    ct_str_add(&s, "", 0);
    for (int i = 0; i < n; i++) {
        char head[128];
        snprintf(head, sizeof head, "{\"id\":\"%s-%d\",\"title\":\"", prefix, i);
        ct_str_puts(&s, head);
        for (int k = 0; k < 5; k++) {
            if (k)
                ct_str_puts(&s, " ");
            word(&s);
        }
        ct_str_puts(&s, "\",\"text\":\"");
        int len = 20 + (int)(next() % 60);
        for (int k = 0; k < len; k++) {
            if (k)
                ct_str_puts(&s, " ");
            word(&s);
        }
        snprintf(head, sizeof head, "\",\"departements\":[\"%u\"]}\n", 1 + next() % 19);
        ct_str_puts(&s, head);
    }
    ct_write(path, s.p, s.len);
    free(s.p);
}

typedef struct fixture {
    char *dir;
    const char *index_bin, *query_bin;
    char a[4200], b[4200], c[4200]; /* the corpus files */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ct_setup(&f->index_bin, &f->query_bin);
    snprintf(f->a, sizeof f->a, "%s/a.jsonl", f->dir);
    snprintf(f->b, sizeof f->b, "%s/b.jsonl", f->dir);
    snprintf(f->c, sizeof f->c, "%s/c.jsonl", f->dir);
    write_file(f->a, "a", 700, 1);
    write_file(f->b, "b", 500, 2);
    write_file(f->c, "c", 300, 3);
    *state = f;
    return 0;
}

static char *path_in(const fixture *f, const char *name)
{
    char *p = malloc(4400);
    snprintf(p, 4400, "%s/%s", f->dir, name);
    return p;
}

/* oasis-index with the arguments that follow; fails the test on a status
 * other than 0. */
#define INDEX(f, ...)                                                                      \
    do {                                                                                   \
        char *err_ = NULL;                                                                 \
        int st_ = ct_run((f)->index_bin, NULL, &err_, "-q", __VA_ARGS__, NULL);            \
        if (st_ != 0)                                                                      \
            fail_msg("oasis-index exit %d: %s", st_, err_);                                \
        free(err_);                                                                        \
    } while (0)

/* Removes from text the lines whose start is prefix. */
static void strip(char *text, const char *prefix)
{
    size_t k = 0, n = strlen(prefix);
    for (char *p = text; *p;) {
        char *e = strchr(p, '\n');
        size_t l = (size_t)(e - p) + 1;
        if (strncmp(p, prefix, n)) {
            memmove(text + k, p, l);
            k += l;
        }
        p = e + 1;
    }
    text[k] = '\0';
}

/* The contents of the index at path (xapc_db_dump()), without the lines
 * whose start is skip (NULL: none). */
static char *dump(const char *path, const char *skip)
{
    xapc_db *db;
    if (xapc_db_open(&db, path) != 0)
        fail_msg("open %s: %s", path, oasis_error_last());
    char *text;
    size_t len;
    assert_int_equal(xapc_db_dump(db, &text, &len), 0);
    xapc_db_free(db);
    if (skip)
        strip(text, skip);
    return text;
}

static size_t count_lines(const char *text, const char *start)
{
    size_t n = 0, len = strlen(start);
    for (const char *p = text; *p; p = strchr(p, '\n') + 1)
        n += !strncmp(p, start, len);
    return n;
}

static void assert_same(const char *a, const char *b, const char *an, const char *bn)
{
    char *diff = ct_dump_diff(a, b, an, bn);
    if (diff)
        fail_msg("%s", diff);
}

/* --jobs 1, 2 and 3 give the same contents, documents, terms, positions,
 * metadata and spellings alike. */
static void test_jobs_same_contents(void **state)
{
    fixture *f = *state;
    char *one = path_in(f, "jobs1.db"), *two = path_in(f, "jobs2.db"), *three = path_in(f, "jobs3.db");
    INDEX(f, "--jobs", "1", "-i", one, f->a, f->b, f->c);
    INDEX(f, "--jobs", "2", "-i", two, f->a, f->b, f->c);
    INDEX(f, "--jobs", "3", "--batch-size", "100", "-i", three, f->a, f->b, f->c);
    char *d1 = dump(one, NULL), *d2 = dump(two, NULL), *d3 = dump(three, NULL);
    assert_true(count_lines(d1, "D Qa-") > 700 * 5);
    assert_int_equal(count_lines(d1, "D Qc-299\tdata "), 1);
    assert_true(count_lines(d1, "M oasis.source:") == 3);
    assert_true(count_lines(d1, "S ") > 100);
    assert_same(d1, d2, "--jobs 1", "--jobs 2");
    assert_same(d1, d3, "--jobs 1", "--jobs 3");
    /* Nothing temporary is left beside the index. */
    char *tmp = path_in(f, "jobs2.db.jobs");
    struct stat st;
    assert_int_not_equal(stat(tmp, &st), 0);
    free(tmp);
    free(d1), free(d2), free(d3);
    free(one), free(two), free(three);
}

/* Each document of the shard at path is the one its id's hash names. */
static void assert_placed(const char *dir, unsigned k)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/shard%u", dir, k);
    char *d = dump(path, NULL);
    size_t docs = 0;
    for (const char *p = d; *p; p = strchr(p, '\n') + 1) {
        if (strncmp(p, "D Q", 3))
            continue;
        const char *tab = strchr(p, '\t');
        if (strncmp(tab, "\tdata ", 6))
            continue;
        docs++;
        uint64_t h = oa_fnv1a(OA_FNV_BASIS, p + 2, (size_t)(tab - p - 2));
        if (h % SHARDS != k)
            fail_msg("%.*s is in shard %u, its hash names %u", (int)(tab - p), p, k,
                     (unsigned)(h % SHARDS));
    }
    assert_true(docs > 300); /* 1500 documents over 3 shards */
    assert_int_equal(count_lines(d, "S "), 0); /* spellings are apart */
    assert_int_equal(count_lines(d, "M oasis.analyzer\t"), 1);
    free(d);
}

/* A sharded index holds what a single one holds, each document in its
 * shard, after a build and after incremental runs (a changed file, a
 * pruned one); its suggestions are the same. */
static void test_shards_same_contents(void **state)
{
    fixture *f = *state;
    char *single = path_in(f, "single.db"), *sharded = path_in(f, "sharded.db");
    INDEX(f, "--jobs", "1", "-i", single, f->a, f->b, f->c);
    INDEX(f, "--shards", "3", "-i", sharded, f->a, f->b, f->c);
    char stub[4500];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", sharded);
    char *text = t_read_file(stub, NULL);
    assert_string_equal(text, "auto shard0\nauto shard1\nauto shard2\nauto spelling\n");
    free(text);
    char *d1 = dump(single, NULL), *d2 = dump(sharded, "M oasis.shards\t");
    assert_same(d1, d2, "single", "sharded");
    free(d1), free(d2);
    for (unsigned k = 0; k < SHARDS; k++)
        assert_placed(sharded, k);

    /* A misspelling gets the same suggestion from the shards. */
    char *out1 = NULL, *out2 = NULL;
    ct_query(f->query_bin, single, NULL, &out1, NULL, "--json", "--limit", "1", "médecnis", NULL);
    ct_query(f->query_bin, sharded, NULL, &out2, NULL, "--json", "--limit", "1", "médecnis",
             NULL);
    const char *s1 = strstr(out1, "\"suggestion\""), *s2 = strstr(out2, "\"suggestion\"");
    assert_non_null(s1);
    assert_non_null(s2);
    assert_memory_equal(s1, s2, strcspn(s1, ",}"));
    free(out1), free(out2);

    /* b changes (fewer, other records), c is pruned: the shards follow. */
    write_file(f->b, "b", 350, 9);
    char *fresh = path_in(f, "fresh.db");
    INDEX(f, "-i", sharded, "--prune", f->a, f->b);
    INDEX(f, "-i", single, "--prune", f->a, f->b);
    d1 = dump(single, NULL);
    d2 = dump(sharded, "M oasis.shards\t");
    assert_same(d1, d2, "single after changes", "sharded after changes");
    assert_int_equal(count_lines(d2, "D Qc-"), 0);
    free(d1), free(d2);
    /* The documents and records are a fresh build's (spelling frequencies
     * are not: a word stays counted when a document holding it goes). */
    INDEX(f, "--jobs", "1", "-i", fresh, f->a, f->b);
    d1 = dump(fresh, "S ");
    d2 = dump(sharded, "S ");
    strip(d2, "M oasis.shards\t");
    assert_same(d1, d2, "fresh", "sharded after changes");
    free(d1), free(d2);
    for (unsigned k = 0; k < SHARDS; k++)
        assert_placed(sharded, k);

    /* The number of shards is the index's: another one is refused. */
    char *err = NULL;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "-i", sharded, "--shards", "2", f->a, NULL),
                     2);
    assert_non_null(strstr(err, "has 3 shards, not 2"));
    free(err);
    err = NULL;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "-i", single, "--shards", "3", f->a, NULL),
                     2);
    assert_non_null(strstr(err, "has 1 shard, not 3"));
    free(err);

    /* A shard gone: an error naming it, not an empty shard in its place. */
    char shard[4500];
    snprintf(shard, sizeof shard, "%s/shard1", sharded);
    t_rmtree(shard);
    err = NULL;
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "-i", sharded, f->a, NULL), 2);
    if (!strstr(err, shard))
        fail_msg("the error does not name %s: %s", shard, err);
    free(err);
    struct stat st;
    assert_int_not_equal(stat(shard, &st), 0);
    free(single), free(sharded), free(fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_same_contents),
        cmocka_unit_test(test_shards_same_contents),
    };
    return cmocka_run_group_tests(tests, setup, t_dir_teardown);
}
