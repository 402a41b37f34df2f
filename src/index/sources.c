/* Corpus sources for the writer: files and directories listed, files that
 * changed since the index recorded them read (index/sync.h), their format
 * detected, every initiative found handed to oasis_writer_add(). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus/reader.h"
#include "index/sync.h"
#include "index/writer.h"
#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"
#include "xapian/xapc.h"

/* A file to consider, with what stat() said of it. */
typedef struct entry {
    char *path;
    unsigned long long size;
    long long mtime_sec;
    long mtime_nsec;
    int done; /* found unchanged without reading it */
} entry;

typedef struct plan {
    entry *v;
    size_t n, cap;
} plan;

typedef struct add_ctx {
    oasis_writer *w;
    oasis_add_stats *stats;
    oa_buf *ids;                /* ids of the file's initiatives, each + '\0' */
    size_t n_ids;
    oa_read_progress read;      /* where the reader is in the decoded text */
    oasis_progress progress;
    unsigned long long file_size;
    const oasis_writer_options *opts;
} add_ctx;

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].path);
    free(p->v);
}

static int plan_push(plan *p, const char *path, const struct stat *st)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        entry *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return oa_error(OASIS_ENOMEM, "out of memory");
        p->v = v;
        p->cap = cap;
    }
    entry *e = &p->v[p->n];
    if (!(e->path = oa_strdup(path)))
        return OASIS_ENOMEM;
    e->size = (unsigned long long)st->st_size;
    e->mtime_sec = (long long)st->st_mtim.tv_sec;
    e->mtime_nsec = (long)st->st_mtim.tv_nsec;
    e->done = 0;
    p->n++;
    return 0;
}

static void report(add_ctx *c)
{
    const oasis_writer_options *o = c->opts;
    if (o->progress)
        o->progress(o->progress_userdata, &c->progress);
}

static int emit_doc(void *userdata, const oasis_doc *doc)
{
    add_ctx *c = userdata;
    c->stats->records++;
    int rc = oasis_writer_add(c->w, doc);
    if (rc == OASIS_EFORMAT) {
        /* A record the analyzer cannot read is skipped, not fatal. */
        oa_writer_warn(c->w, doc->source_file, doc->source_line, "skipped: %s", oa_error_message());
        c->stats->skipped++;
        return 0;
    }
    if (rc)
        return rc;
    c->stats->indexed++;
    const char *id = oa_writer_last_id(c->w);
    if ((rc = oa_buf_append(c->ids, id, strlen(id) + 1)))
        return rc;
    c->n_ids++;
    if (c->opts->progress) {
        unsigned long long before = c->progress.bytes_done;
        if (c->read.total)
            c->progress.bytes_done += (unsigned long long)((double)c->file_size *
                                                           (double)c->read.done /
                                                           (double)c->read.total);
        c->progress.indexed++;
        report(c);
        c->progress.bytes_done = before;
    } else {
        c->progress.indexed++;
    }
    return 0;
}

static void forward_warning(void *userdata, const char *file, long line, const char *message)
{
    oa_writer_warn(userdata, file, line, "%s", message);
}

/* An unchanged file: its ids stay taken, and its earlier warnings are
 * recalled so that a strict run still sees them. */
static int keep_unchanged(oasis_writer *w, const char *path, const oa_source_rec *rec,
                          oasis_add_stats *stats)
{
    stats->unchanged++;
    int rc = oa_sync_seen(oa_writer_sync(w), path, 0);
    for (size_t i = 0; i < rec->ids.len && !rc;) {
        const char *id = rec->ids.data + i;
        rc = oa_writer_reserve_id(w, id);
        i += strlen(id) + 1;
    }
    if (!rc && (rec->warnings || rec->skipped))
        oa_writer_warn(w, path, 0,
                       "unchanged since it was indexed with %zu warning%s and %zu record%s "
                       "skipped: not read again (a full re-read shows them)",
                       rec->warnings, rec->warnings == 1 ? "" : "s", rec->skipped,
                       rec->skipped == 1 ? "" : "s");
    return rc;
}

static void hash_bytes(void *userdata, const char *buf, size_t n)
{
    oa_sync_hash_update(userdata, buf, n);
}

/* 1 in *same when path's bytes hash as rec says (0 when unreadable). Read
 * in blocks: memory does not grow with the file. */
static int same_bytes(const char *path, const oa_source_rec *rec, int *same)
{
    *same = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0; /* reading it later will say why */
    char *buf = malloc(65536);
    if (!buf) {
        fclose(f);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    oa_sync_hasher h;
    oa_sync_hash_init(&h, rec->size);
    size_t n;
    while ((n = fread(buf, 1, 65536, f)) > 0)
        oa_sync_hash_update(&h, buf, n);
    int err = ferror(f);
    fclose(f);
    free(buf);
    uint64_t out[2];
    *same = oa_sync_hash_final(&h, out) && !err && out[0] == rec->hash[0] &&
            out[1] == rec->hash[1];
    return 0;
}

static int add_file(oasis_writer *w, const entry *e, add_ctx *c)
{
    oa_sync *sync = oa_writer_sync(w);
    oasis_add_stats *stats = c->stats;
    int rc = oa_sync_seen(sync, e->path, 0);
    if (rc)
        return rc;
    /* The first pass reads every byte (hashing them) without keeping them;
     * the records are read by a second, in blocks. */
    oa_stream *st;
    oa_sync_hasher hasher;
    oa_sync_hash_init(&hasher, e->size);
    if ((rc = oa_stream_open(&st, e->path, OA_STREAM_BLOCK, hash_bytes, &hasher))) {
        oa_writer_warn(w, e->path, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        return rc == OASIS_ENOMEM ? rc : 0;
    }
    unsigned long long len = oa_stream_size(st);
    stats->files++;
    stats->bytes += len;
    oa_source_rec old = {0}, rec = {0};
    int found = oa_sync_lookup(sync, e->path, &old);
    if (found < 0) {
        oa_stream_free(st);
        return found;
    }
    rec.size = len;
    rec.mtime_sec = e->mtime_sec;
    rec.mtime_nsec = e->mtime_nsec;
    rec.build = oa_sync_build_fingerprint();
    /* When the size changed since stat() (a file being written, a pipe),
     * the hash matches no record: the file will be read again next time. */
    oa_sync_hash_final(&hasher, rec.hash);
    if (found && !c->opts->full && old.hash[0] == rec.hash[0] && old.hash[1] == rec.hash[1] &&
        old.build == rec.build) {
        /* Touched but not changed: only the record's time is new. */
        stats->files--;
        oa_stream_free(st);
        rec.warnings = old.warnings;
        rec.skipped = old.skipped;
        rec.ids = old.ids;
        rec.n_ids = old.n_ids;
        if (!(rc = keep_unchanged(w, e->path, &old, stats)) && !(rc = oa_writer_begin(w)))
            rc = oa_sync_put(sync, e->path, &rec);
        oa_source_rec_free(&old);
        return rc;
    }
    oa_source_rec_free(&old);

    /* Changed or new: what the index holds of it goes first. */
    oa_buf term = OA_BUF_INIT;
    size_t before = oasis_writer_doc_count(w);
    if (!(rc = oa_writer_begin(w)) && !(rc = oa_source_term(e->path, &term)))
        rc = xapc_wdb_delete(oa_writer_db(w), term.data, term.len);
    oa_buf_free(&term);
    if (rc) {
        oa_stream_free(st);
        return rc;
    }
    size_t cleared = oasis_writer_doc_count(w);
    size_t warnings_before = oa_writer_warnings(w), skipped_before = stats->skipped;

    c->ids = &rec.ids;
    c->n_ids = 0;
    c->file_size = len;
    c->progress.file = e->path;
    c->read.done = c->read.total = 0;
    oa_reader r = {e->path, emit_doc, c, forward_warning, w, 0, 0};
    rc = oa_stream_read(&r, st, &c->read);
    oa_stream_free(st);
    stats->skipped += r.skipped;
    if (rc == OASIS_EFORMAT) {
        oa_writer_warn(w, e->path, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        rc = 0;
    }
    if (!rc) {
        size_t after = oasis_writer_doc_count(w), added = after - cleared;
        size_t gone = before - cleared;
        stats->removed += gone > added ? gone - added : 0;
        rec.n_ids = c->n_ids;
        rec.warnings = oa_writer_warnings(w) - warnings_before;
        rec.skipped = stats->skipped - skipped_before;
        /* The record goes with the file's last batch: a crash before it
         * commits leaves the file to be read again. */
        if (!(rc = oa_writer_begin(w)))
            rc = oa_sync_put(sync, e->path, &rec);
    }
    oa_source_rec_free(&rec);
    c->progress.bytes_done += len;
    return rc;
}

/* Corpus files in a directory: the text formats oasis reads. Other files
 * (the .tsv tables, READMEs) sit beside them and are not initiatives. */
static int is_corpus_name(const char *name)
{
    if (name[0] == '.')
        return 0;
    const char *dot = strrchr(name, '.');
    return dot && (!strcmp(dot, ".txt") || !strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson"));
}

/* Lists the corpus files under the directory path into p. */
static int list_dir(oasis_writer *w, const char *path, plan *p, oasis_add_stats *stats, int depth)
{
    if (depth > 32)
        return oa_error(OASIS_EINVAL, "%s: directories nested too deep", path);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        oa_writer_warn(w, path, 0, "skipped: %s", strerror(errno));
        stats->skipped++;
        /* What the index holds from under it must survive a prune. */
        return oa_sync_seen(oa_writer_sync(w), path, 1);
    }
    int rc = 0;
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!rc && name[0] != '.') {
            oa_buf child = OA_BUF_INIT;
            struct stat st;
            if ((rc = oa_buf_append(&child, path, plen)) || (rc = oa_buf_putc(&child, '/')) ||
                (rc = oa_buf_puts(&child, name))) {
                /* out of memory: rc set */
            } else if (stat(child.data, &st) == 0 && S_ISDIR(st.st_mode)) {
                rc = list_dir(w, child.data, p, stats, depth + 1);
            } else if (is_corpus_name(name)) {
                if (stat(child.data, &st) != 0)
                    memset(&st, 0, sizeof st); /* reading it will say why */
                rc = plan_push(p, child.data, &st);
            }
            oa_buf_free(&child);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* First pass: files whose build and bytes match their record are not read
 * again (size and time matching are taken as the bytes matching; a file
 * only touched is hashed here and its new time recorded). Their ids are
 * taken before any changed file gives out derived ids, as in a full run
 * where they would have been given out already. */
static int skip_unchanged(oasis_writer *w, plan *p, add_ctx *c)
{
    if (c->opts->full)
        return 0;
    oa_sync *sync = oa_writer_sync(w);
    uint64_t build = oa_sync_build_fingerprint();
    int rc = 0;
    for (size_t i = 0; i < p->n && !rc; i++) {
        entry *e = &p->v[i];
        oa_source_rec rec;
        int found = oa_sync_lookup(sync, e->path, &rec);
        if (found < 0)
            return found;
        if (found && rec.size == e->size && rec.build == build) {
            int same = rec.mtime_sec == e->mtime_sec && rec.mtime_nsec == e->mtime_nsec;
            if (!same && !(rc = same_bytes(e->path, &rec, &same)) && same) {
                rec.mtime_sec = e->mtime_sec;
                rec.mtime_nsec = e->mtime_nsec;
                if (!(rc = oa_writer_begin(w)))
                    rc = oa_sync_put(sync, e->path, &rec);
            }
            if (!rc && same) {
                e->done = 1;
                rc = keep_unchanged(w, e->path, &rec, c->stats);
            }
        }
        oa_source_rec_free(&rec);
    }
    return rc;
}

int oasis_writer_add_path(oasis_writer *w, const char *path, oasis_add_stats *stats)
{
    oasis_add_stats local = {0};
    oasis_add_stats *s = stats ? stats : &local;
    size_t warnings_before = oa_writer_warnings(w);
    struct stat st;
    plan p = {NULL, 0, 0};
    add_ctx c;
    memset(&c, 0, sizeof c);
    c.w = w;
    c.stats = s;
    c.opts = oa_sync_options(oa_writer_sync(w));
    int rc;
    if (stat(path, &st) != 0)
        rc = oa_error(OASIS_EIO, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = list_dir(w, path, &p, s, 0);
    else
        rc = plan_push(&p, path, &st);
    if (!rc)
        rc = skip_unchanged(w, &p, &c);
    c.progress.files_total = p.n;
    for (size_t i = 0; i < p.n; i++)
        if (!p.v[i].done)
            c.progress.bytes_total += p.v[i].size;
    for (size_t i = 0; i < p.n && !rc; i++) {
        if (!p.v[i].done) {
            c.progress.file = p.v[i].path;
            report(&c);
            rc = add_file(w, &p.v[i], &c);
        }
        c.progress.files_done++;
    }
    if (!rc && p.n) {
        c.progress.file = p.v[p.n - 1].path;
        report(&c);
    }
    plan_free(&p);
    s->warnings += oa_writer_warnings(w) - warnings_before;
    return rc;
}

int oasis_writer_prune(oasis_writer *w, oasis_add_stats *stats)
{
    size_t files, docs;
    int rc = oa_writer_begin(w);
    if (!rc)
        rc = oa_sync_prune(oa_writer_sync(w), &files, &docs);
    if (!rc && stats) {
        stats->removed += docs;
        stats->removed_files += files;
    }
    return rc;
}
