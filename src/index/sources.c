/* Corpus sources for the writer: files and directories listed, each file
 * known by its real path (index/sync.h), the files that changed since the
 * index recorded them read, their format detected, every initiative found
 * handed to oasis_writer_add(); then the sources that must be read again
 * to restore what another let go of. */
#define _GNU_SOURCE /* realpath */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus/reader.h"
#include "index/filehash.h"
#include "index/sync.h"
#include "index/writer.h"
#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/map.h"
#include "util/vec.h"

/* A file to consider, with what stat() said of it. */
typedef struct entry {
    char *path; /* as given, or as reached from a directory given */
    size_t src;
    oa_file_state st;
    int done; /* found unchanged without reading it */
} entry;

typedef struct plan {
    OA_VEC(entry) files;
    oa_map seen; /* real paths of the files and directories met */
} plan;

typedef struct add_ctx {
    oasis_writer *w;
    oa_sync *sync;
    oasis_add_stats *stats;
    oa_read_progress read;      /* where the reader is in the decoded text */
    oasis_progress progress;
    unsigned long long file_size;
    const oasis_writer_options *opts;
} add_ctx;

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->files.n; i++)
        free(p->files.v[i].path);
    free(p->files.v);
    oa_map_free(&p->seen);
}

static void state_of(const struct stat *st, oa_file_state *out)
{
    memset(out, 0, sizeof *out);
    out->size = (unsigned long long)st->st_size;
    out->mtime_sec = (long long)st->st_mtim.tv_sec;
    out->mtime_nsec = (long)st->st_mtim.tv_nsec;
}

/* Adds path (a file; st what stat() said) unless its real path was met
 * already in this call. */
static int plan_push(add_ctx *c, plan *p, const char *path, const struct stat *st)
{
    char *real = realpath(path, NULL);
    if (!real) {
        oa_writer_warn(c->w, path, 0, "skipped: %s", strerror(errno));
        c->stats->skipped++;
        return 0;
    }
    size_t i;
    int added, rc = oa_map_add_str(&p->seen, real, &i, &added);
    entry e = {NULL, 0, {0}, 0};
    if (!rc && added && !(rc = oa_sync_source(c->sync, real, path, &e.src))) {
        state_of(st, &e.st);
        if (!(e.path = oa_strdup(path)))
            rc = OASIS_ENOMEM;
        else if ((rc = OA_VEC_PUSH(&p->files, e)))
            free(e.path);
    }
    free(real);
    return rc;
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
    c->progress.indexed++;
    if (c->opts->progress) {
        unsigned long long before = c->progress.bytes_done;
        if (c->read.total)
            c->progress.bytes_done += (unsigned long long)((double)c->file_size *
                                                           (double)c->read.done /
                                                           (double)c->read.total);
        report(c);
        c->progress.bytes_done = before;
    }
    return 0;
}

static void forward_warning(void *userdata, const char *file, long line, const char *message)
{
    oa_writer_warn(userdata, file, line, "%s", message);
}

/* An unchanged file: kept as it is, and its earlier warnings recalled so
 * that a strict run still sees them. */
static int keep_unchanged(add_ctx *c, size_t src, const oa_file_state *st)
{
    size_t warnings, skipped;
    c->stats->unchanged++;
    int rc = oa_writer_begin(c->w);
    if (!rc)
        rc = oa_sync_keep(c->sync, src, st, &warnings, &skipped);
    if (!rc && (warnings || skipped))
        oa_writer_warn(c->w, oa_sync_display(c->sync, src), 0,
                       "unchanged since it was indexed with %zu warning%s and %zu record%s "
                       "skipped: not read again (a full re-read shows them)",
                       warnings, warnings == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s");
    return rc;
}

static void hash_bytes(void *userdata, const char *buf, size_t n)
{
    oa_filehash_update(userdata, buf, n);
}

/* Reads the source src from path (shown as its display path). st: what
 * stat() said (its hash is filled here). A file found unchanged is kept
 * as it is, unless again (a restore). */
static int read_source(add_ctx *c, size_t src, const char *path, oa_file_state st, int again)
{
    oasis_writer *w = c->w;
    oasis_add_stats *stats = c->stats;
    const char *shown = oa_sync_display(c->sync, src);
    /* The first pass reads every byte (hashing them) without keeping them;
     * the records are read by a second, in blocks. */
    oa_stream *in;
    oa_filehash hasher;
    oa_filehash_init(&hasher, st.size);
    int rc = oa_stream_open(&in, path, OA_STREAM_BLOCK, hash_bytes, &hasher);
    if (rc) {
        oa_writer_warn(w, shown, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        return rc == OASIS_ENOMEM ? rc : 0;
    }
    /* When the size changed since stat() (a file being written, a pipe),
     * the hash matches no record: the file will be read again next time. */
    if (!oa_filehash_final(&hasher, st.hash))
        st.hash[0] = st.hash[1] = 0;
    st.size = oa_stream_size(in);
    oa_file_state was;
    if (!again && !c->opts->full && oa_sync_recorded(c->sync, src, &was) && was.hash[0] == st.hash[0] &&
        was.hash[1] == st.hash[1] && (st.hash[0] || st.hash[1])) {
        /* Touched but not changed: only the record's time is new. */
        oa_stream_free(in);
        return keep_unchanged(c, src, &st);
    }
    stats->files++;
    stats->bytes += st.size;
    size_t warnings_before = oa_writer_warnings(w), skipped_before = stats->skipped;
    c->file_size = st.size;
    c->progress.file = shown;
    c->read.done = c->read.total = 0;
    oa_reader r = {shown, emit_doc, c, forward_warning, w, 0, 0};
    if (!(rc = oa_sync_read_begin(c->sync, src)))
        rc = oa_stream_read(&r, in, &c->read);
    oa_stream_free(in);
    stats->skipped += r.skipped;
    if (rc == OASIS_EFORMAT) {
        oa_writer_warn(w, shown, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        rc = 0;
    }
    size_t removed = 0;
    /* The record goes with the file's last batch: a crash before it
     * commits leaves the file to be read again. */
    if (!rc && !(rc = oa_writer_begin(w)))
        rc = oa_sync_read_end(c->sync, &st, oa_writer_warnings(w) - warnings_before,
                              stats->skipped - skipped_before, &removed);
    stats->removed += removed;
    c->progress.bytes_done += st.size;
    return rc;
}

/* Reads again the sources that hold what others let go of, then makes the
 * records of those others whole. */
static int restore(add_ctx *c)
{
    size_t src;
    int rc = 0;
    while (!rc && oa_sync_next_restore(c->sync, &src)) {
        const char *path = oa_sync_identity(c->sync, src);
        struct stat st;
        if (stat(path, &st) != 0) {
            oa_writer_warn(c->w, oa_sync_display(c->sync, src), 0,
                           "cannot be read again to restore the initiatives it holds: %s",
                           strerror(errno));
            c->stats->skipped++;
            continue;
        }
        oa_file_state fs;
        state_of(&st, &fs);
        rc = read_source(c, src, path, fs, 1);
    }
    if (!rc && !(rc = oa_writer_begin(c->w)))
        rc = oa_sync_settle(c->sync);
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

/* Lists the corpus files under the directory path into p; a directory
 * met before through another path (a symlink) is listed once. */
static int list_dir(add_ctx *c, const char *path, plan *p, int depth)
{
    if (depth > 32)
        return oa_error(OASIS_EINVAL, "%s: directories nested too deep", path);
    char *real = realpath(path, NULL);
    size_t i;
    int added = 1, rc = real ? oa_map_add_str(&p->seen, real, &i, &added) : 0;
    if (rc || !added) {
        free(real);
        return rc;
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        oa_writer_warn(c->w, path, 0, "skipped: %s", strerror(errno));
        c->stats->skipped++;
        /* What the index holds from under it must survive a prune. */
        rc = real ? oa_sync_seen_dir(c->sync, real) : 0;
        free(real);
        return rc;
    }
    free(real);
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    for (int k = 0; k < n; k++) {
        const char *name = names[k]->d_name;
        if (!rc && name[0] != '.') {
            oa_buf child = OA_BUF_INIT;
            struct stat st;
            if ((rc = oa_buf_append(&child, path, plen)) || (rc = oa_buf_putc(&child, '/')) ||
                (rc = oa_buf_puts(&child, name))) {
                /* out of memory: rc set */
            } else if (stat(child.data, &st) == 0 && S_ISDIR(st.st_mode)) {
                rc = list_dir(c, child.data, p, depth + 1);
            } else if (is_corpus_name(name)) {
                if (stat(child.data, &st) != 0)
                    memset(&st, 0, sizeof st); /* reading it will say why */
                rc = plan_push(c, p, child.data, &st);
            }
            oa_buf_free(&child);
        }
        free(names[k]);
    }
    free(names);
    return rc;
}

/* First pass: files whose build and bytes match their record are not read
 * again (size and time matching are taken as the bytes matching; a file
 * only touched is hashed here and its new time recorded), nor are those
 * this writer read already. */
static int skip_unchanged(add_ctx *c, plan *p)
{
    int rc = 0;
    for (size_t i = 0; i < p->files.n && !rc; i++) {
        entry *e = &p->files.v[i];
        oa_file_state was;
        if (oa_sync_handled(c->sync, e->src)) {
            e->done = 1;
            continue;
        }
        if (c->opts->full || !oa_sync_recorded(c->sync, e->src, &was) || was.size != e->st.size)
            continue;
        int same = was.mtime_sec == e->st.mtime_sec && was.mtime_nsec == e->st.mtime_nsec;
        if (!same) {
            uint64_t h[2];
            if ((rc = oa_filehash_path(e->path, was.size, h, &same)))
                break;
            same = same && h[0] == was.hash[0] && h[1] == was.hash[1];
        }
        if (same) {
            e->done = 1;
            e->st.hash[0] = was.hash[0];
            e->st.hash[1] = was.hash[1];
            rc = keep_unchanged(c, e->src, &e->st);
        }
    }
    return rc;
}

static void ctx_init(add_ctx *c, oasis_writer *w, oasis_add_stats *stats)
{
    memset(c, 0, sizeof *c);
    c->w = w;
    c->sync = oa_writer_sync(w);
    c->stats = stats;
    c->opts = oa_sync_options(c->sync);
}

int oasis_writer_add_path(oasis_writer *w, const char *path, oasis_add_stats *stats)
{
    oasis_add_stats local = OASIS_ADD_STATS_INIT;
    oasis_add_stats *s = stats ? stats : &local;
    if (s->version != OASIS_ADD_STATS_VERSION)
        return oa_error(OASIS_EINVAL, "stats version %u is not this library's (%u)", s->version,
                        OASIS_ADD_STATS_VERSION);
    size_t warnings_before = oa_writer_warnings(w);
    struct stat st;
    plan p;
    memset(&p, 0, sizeof p);
    add_ctx c;
    ctx_init(&c, w, s);
    int rc, dir = 0;
    if (stat(path, &st) != 0)
        rc = oa_error(OASIS_EIO, "%s: %s", path, strerror(errno));
    else if ((dir = S_ISDIR(st.st_mode)))
        rc = list_dir(&c, path, &p, 0);
    else
        rc = plan_push(&c, &p, path, &st);
    if (!rc && dir && !p.files.n)
        oa_writer_warn(w, path, 0, "no file oasis reads here (*.txt, *.jsonl, *.ndjson)");
    if (!rc)
        rc = skip_unchanged(&c, &p);
    c.progress.files_total = p.files.n;
    for (size_t i = 0; i < p.files.n; i++)
        if (!p.files.v[i].done)
            c.progress.bytes_total += p.files.v[i].st.size;
    for (size_t i = 0; i < p.files.n && !rc; i++) {
        entry *e = &p.files.v[i];
        if (!e->done) {
            c.progress.file = e->path;
            report(&c);
            rc = read_source(&c, e->src, e->path, e->st, 0);
        }
        c.progress.files_done++;
    }
    if (!rc)
        rc = restore(&c);
    if (!rc && p.files.n) {
        c.progress.file = p.files.v[p.files.n - 1].path;
        report(&c);
    }
    plan_free(&p);
    s->warnings += oa_writer_warnings(w) - warnings_before;
    return rc;
}

int oasis_writer_prune(oasis_writer *w, oasis_add_stats *stats)
{
    oasis_add_stats local = OASIS_ADD_STATS_INIT;
    if (stats && stats->version != OASIS_ADD_STATS_VERSION)
        return oa_error(OASIS_EINVAL, "stats version %u is not this library's (%u)",
                        stats->version, OASIS_ADD_STATS_VERSION);
    add_ctx c;
    ctx_init(&c, w, stats ? stats : &local);
    size_t files, docs;
    int rc = oa_writer_begin(w);
    if (!rc)
        rc = oa_sync_prune_begin(c.sync);
    /* What a source gone last wrote and another holds is read again before
     * anything is deleted: a crash meanwhile leaves the gone sources
     * recorded, to be pruned by the next run. */
    if (!rc)
        rc = restore(&c);
    if (!rc && !(rc = oa_writer_begin(w)))
        rc = oa_sync_prune_end(c.sync, &files, &docs);
    if (!rc) {
        c.stats->removed += docs;
        c.stats->removed_files += files;
    }
    return rc;
}
