/* fts5_bench: SQLite FTS5 used the plain way: one fts5 table (tokenizer
 * unicode61 remove_diacritics 2), ranked by its built-in bm25, with the
 * départements and categories in ordinary tables for facet counts.
 *
 *   fts5_bench index DB CORPUS.jsonl
 *   fts5_bench query DB QUERIES [--facets] [--passes N]
 *
 * A query's words are OR-ed, as the other contenders rank every document
 * holding any of them. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchcorpus.h"
#include "benchutil.h"

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "fts5_bench: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(2);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fts5_bench: %s: %s\n", sql, err);
        exit(2);
    }
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(db, sql);
    return st;
}

static void step_done(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(db, "insert");
    sqlite3_reset(st);
}

typedef struct inserter {
    sqlite3 *db;
    sqlite3_stmt *ins, *ind, *inc;
    sqlite3_int64 row;
} inserter;

static void insert_record(void *userdata, json_t *o, const char *line, size_t len)
{
    (void)line;
    (void)len;
    inserter *in = userdata;
    sqlite3_int64 row = ++in->row;
    sqlite3_bind_int64(in->ins, 1, row);
    sqlite3_bind_text(in->ins, 2, json_string_value(json_object_get(o, "id")), -1, SQLITE_STATIC);
    sqlite3_bind_text(in->ins, 3, json_string_value(json_object_get(o, "title")), -1, SQLITE_STATIC);
    sqlite3_bind_text(in->ins, 4, json_string_value(json_object_get(o, "text")), -1, SQLITE_STATIC);
    step_done(in->db, in->ins);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "departements"), i, v)
    {
        sqlite3_bind_int64(in->ind, 1, row);
        sqlite3_bind_text(in->ind, 2, json_string_value(v), -1, SQLITE_STATIC);
        step_done(in->db, in->ind);
    }
    json_array_foreach(json_object_get(o, "categories"), i, v)
    {
        sqlite3_bind_int64(in->inc, 1, row);
        sqlite3_bind_text(in->inc, 2, json_string_value(v), -1, SQLITE_STATIC);
        step_done(in->db, in->inc);
    }
}

static int index_corpus(const char *path, const char *corpus)
{
    remove(path);
    inserter in = {0};
    if (sqlite3_open(path, &in.db) != SQLITE_OK)
        die(in.db, path);
    exec(in.db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                "tokenize = 'unicode61 remove_diacritics 2');"
                "CREATE TABLE dept(doc INTEGER, code TEXT);"
                "CREATE TABLE cat(doc INTEGER, slug TEXT);"
                "BEGIN;");
    in.ins = prepare(in.db, "INSERT INTO docs(rowid, id, title, text) VALUES(?,?,?,?)");
    in.ind = prepare(in.db, "INSERT INTO dept(doc, code) VALUES(?,?)");
    in.inc = prepare(in.db, "INSERT INTO cat(doc, slug) VALUES(?,?)");
    long n = bench_each_record(corpus, insert_record, &in);
    sqlite3_finalize(in.ins);
    sqlite3_finalize(in.ind);
    sqlite3_finalize(in.inc);
    if (n < 0) {
        sqlite3_close(in.db);
        return 2;
    }
    exec(in.db, "CREATE INDEX dept_doc ON dept(doc); CREATE INDEX cat_doc ON cat(doc); COMMIT;");
    sqlite3_close(in.db);
    fprintf(stderr, "fts5_bench: %ld documents indexed\n", n);
    return 0;
}

/* "w1" OR "w2" ...: each word quoted, so no word is read as an operator. */
static char *match_expr(const char *q)
{
    size_t n = strlen(q);
    char *out = malloc(n * 6 + 8), *p = out;
    int first = 1;
    const char *s = q;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        if (!first)
            p += sprintf(p, " OR ");
        first = 0;
        *p++ = '"';
        for (; *s && *s != ' '; s++) {
            if (*s == '"')
                *p++ = '"';
            *p++ = *s;
        }
        *p++ = '"';
    }
    *p = '\0';
    return out;
}

static size_t sink;

static int query(const char *path, const char *qfile, int facets, int passes)
{
    bench_queries qs = bench_read_queries(qfile);
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(db, path);
    sqlite3_stmt *top = prepare(db, "SELECT rowid, id, title, text FROM docs WHERE docs MATCH ?1 "
                                    "ORDER BY rank LIMIT 10");
    sqlite3_stmt *fd = prepare(db, "SELECT code, count(*) FROM dept WHERE doc IN "
                                   "(SELECT rowid FROM docs WHERE docs MATCH ?1) GROUP BY code");
    sqlite3_stmt *fc = prepare(db, "SELECT slug, count(*) FROM cat WHERE doc IN "
                                   "(SELECT rowid FROM docs WHERE docs MATCH ?1) GROUP BY slug");
    sqlite3_stmt *total = prepare(db, "SELECT count(*) FROM docs WHERE docs MATCH ?1");
    double *ms = calloc(qs.n ? qs.n : 1, sizeof *ms);
    size_t hits = 0;
    double matches = 0;
    for (int pass = 0; pass <= passes; pass++) {
        hits = 0;
        matches = 0;
        for (size_t i = 0; i < qs.n; i++) {
            double t0 = bench_now_ms();
            char *m = match_expr(qs.v[i]);
            sqlite3_stmt *sts[4] = {top, facets ? fd : NULL, facets ? fc : NULL,
                                    facets ? total : NULL};
            for (int k = 0; k < 4; k++) {
                sqlite3_stmt *st = sts[k];
                if (!st)
                    continue;
                sqlite3_bind_text(st, 1, m, -1, SQLITE_STATIC);
                int rc;
                while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
                    if (k == 0) {
                        hits++;
                        sink += (size_t)sqlite3_column_bytes(st, 2) +
                                (size_t)sqlite3_column_bytes(st, 3);
                    } else if (k == 3) {
                        matches += (double)sqlite3_column_int64(st, 0);
                    } else {
                        sink += (size_t)sqlite3_column_int64(st, 1);
                    }
                }
                if (rc != SQLITE_DONE)
                    die(db, qs.v[i]);
                sqlite3_reset(st);
            }
            free(m);
            if (pass)
                bench_keep_min(ms, i, pass, bench_now_ms() - t0);
        }
    }
    bench_report(ms, qs.n, hits, matches);
    fprintf(stderr, "fts5_bench: %zu\n", sink & 1);
    sqlite3_finalize(top);
    sqlite3_finalize(fd);
    sqlite3_finalize(fc);
    sqlite3_finalize(total);
    sqlite3_close(db);
    free(ms);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "index"))
        return index_corpus(argv[2], argv[3]);
    if (argc >= 4 && !strcmp(argv[1], "query"))
    {
        int facets = 0;
        for (int i = 4; i < argc; i++)
            facets |= !strcmp(argv[i], "--facets");
        return query(argv[2], argv[3], facets, bench_passes(argc, argv));
    }
    fprintf(stderr, "usage: fts5_bench index DB CORPUS | query DB QUERIES [--facets] [--passes N] [--times FILE]\n");
    return 2;
}
