/* Corpus sources for the writer: files and directories read, their format
 * detected, every initiative found handed to oasis_writer_add(). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "corpus/reader.h"
#include "index/writer.h"
#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"

typedef struct add_ctx {
    oasis_writer *w;
    oasis_add_stats *stats;
} add_ctx;

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
    if (!rc)
        c->stats->indexed++;
    return rc;
}

static void forward_warning(void *userdata, const char *file, long line, const char *message)
{
    oa_writer_warn(userdata, file, line, "%s", message);
}

static int add_file(oasis_writer *w, const char *path, oasis_add_stats *stats)
{
    char *buf;
    size_t len;
    stats->files++;
    int rc = oa_read_file(path, &buf, &len);
    if (rc) {
        oa_writer_warn(w, path, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        return rc == OASIS_ENOMEM ? rc : 0;
    }
    add_ctx ctx = {w, stats};
    oa_reader r = {path, emit_doc, &ctx, forward_warning, w, 0, 0};
    rc = oa_read_buffer(&r, buf, len);
    free(buf);
    stats->skipped += r.skipped;
    if (rc == OASIS_EFORMAT) {
        oa_writer_warn(w, path, 0, "skipped: %s", oa_error_message());
        stats->skipped++;
        return 0;
    }
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

static int add_dir(oasis_writer *w, const char *path, oasis_add_stats *stats, int depth)
{
    if (depth > 32)
        return oa_error(OASIS_EINVAL, "%s: directories nested too deep", path);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        oa_writer_warn(w, path, 0, "skipped: %s", strerror(errno));
        stats->skipped++;
        return 0;
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
                oa_buf_free(&child);
            } else if (stat(child.data, &st) == 0 && S_ISDIR(st.st_mode)) {
                rc = add_dir(w, child.data, stats, depth + 1);
            } else if (is_corpus_name(name)) {
                rc = add_file(w, child.data, stats);
            }
            oa_buf_free(&child);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int oasis_writer_add_path(oasis_writer *w, const char *path, oasis_add_stats *stats)
{
    oasis_add_stats local = {0};
    oasis_add_stats *s = stats ? stats : &local;
    size_t warnings_before = oa_writer_warnings(w);
    struct stat st;
    int rc;
    if (stat(path, &st) != 0)
        rc = oa_error(OASIS_EIO, "%s: %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = add_dir(w, path, s, 0);
    else
        rc = add_file(w, path, s);
    s->warnings += oa_writer_warnings(w) - warnings_before;
    return rc;
}

