/* Sources and the initiatives they hold (see sync.h).
 *
 * Metadata: OA_META_SOURCES holds the identities of the recorded sources,
 * each followed by '\0'; "oasis.source:" and a 16-digit hash of the
 * identity holds one record: "oasis-source 2", the identity, the path
 * shown, the numbers "size sec nsec hash0 hash1 build warnings skipped n",
 * then n initiatives "fingerprint line id", each field followed by '\0'
 * (ids and paths may hold any byte but NUL). A record of the first format
 * ("oasis-source 1": path as given, no display, fingerprints or lines) is read as one of an unknown content. A record that does not
 * parse counts as missing: its source is read again. */
#define _POSIX_C_SOURCE 200809L
#include "index/sync.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "index/schema.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/map.h"
#include "util/vec.h"
#include "xapian/xapc.h"

#define META_SOURCE_PREFIX "oasis.source:"
#define RECORD_MAGIC "oasis-source 2"
#define RECORD_MAGIC_V1 "oasis-source 1"

#define NO_SOURCE (-1L) /* a document added on its own */
#define NO_CLAIM (-2L)  /* not given out by this writer */

/* One source's hold on an initiative. fp 0: content unknown (a record of
 * the first format), taken as the same as any. */
typedef struct holding {
    size_t src;
    uint64_t fp;
    long line;
} holding;

typedef struct initiative {
    OA_VEC(holding) by;  /* the sources that hold it */
    long run_src;        /* the source it was last given out to by this writer */
    long run_line;
    uint64_t run_fp;
    unsigned mark;       /* scratch: last generation that touched it */
} initiative;

typedef struct source {
    char *display;
    int recorded;        /* has a record */
    oa_file_state st;    /* as recorded (hash {0, 0}: to read again) */
    uint64_t build;
    size_t warnings, skipped;
    OA_VEC(size_t) ids;  /* the initiatives it holds */
    OA_VEC(holding) leaving; /* let go of, waiting for a restore (src: the id) */
    int seen;            /* met by this writer */
    int handled;         /* read or kept by this writer */
    int gone;            /* pruned */
    int queued;          /* waiting in the restore queue */
} source;

struct oa_sync {
    struct xapc_wdb *db;
    oasis_writer_options opts;
    oa_map source_keys;  /* identities */
    source *sources;
    size_t sources_cap;
    oa_map id_keys;
    initiative *ids;
    size_t ids_cap;
    unsigned gen;        /* for initiative.mark */
    OA_VEC(char *) dirs; /* directories that could not be listed */
    long cur;            /* the source being read, or -1 */
    OA_VEC(holding) cur_held; /* what it holds so far (src: the id) */
    OA_VEC(size_t) restore;
    OA_VEC(size_t) unsettled; /* sources whose records wait for restores */
    OA_VEC(size_t) orphans;   /* ids left without a source by a prune */
    uint64_t build;      /* this build's fingerprint (build_fingerprint()) */
    int dirty;           /* the list of sources changed */
    oa_buf scratch;
};

/* The fingerprint of everything besides a file's bytes that decides what
 * its documents hold: analyzer and schema versions, the compiled-in tables
 * of départements, categories and rules. */
static uint64_t build_fingerprint(void)
{
    const char *parts[] = {OA_ANALYZER_VERSION, OA_SCHEMA_VERSION, oa_departements_tsv,
                           oa_categories_tsv, oa_category_rules_tsv};
    uint64_t h = OA_FNV_BASIS;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = oa_fnv1a(h, parts[i], strlen(parts[i]) + 1);
    return h;
}

/* ---- Tables */

static int add_source(oa_sync *s, const char *identity, size_t *src, int *added)
{
    int rc = oa_map_add_str(&s->source_keys, identity, src, added);
    if (rc || !*added)
        return rc;
    if ((rc = oa_grow(&s->sources, &s->sources_cap, s->source_keys.n, sizeof *s->sources)))
        return rc;
    memset(&s->sources[*src], 0, sizeof s->sources[*src]);
    return 0;
}

static int add_id(oa_sync *s, const char *id, size_t len, size_t *idx)
{
    int added, rc = oa_map_add(&s->id_keys, id, len, idx, &added);
    if (rc || !added)
        return rc;
    if ((rc = oa_grow(&s->ids, &s->ids_cap, s->id_keys.n, sizeof *s->ids)))
        return rc;
    initiative *e = &s->ids[*idx];
    memset(e, 0, sizeof *e);
    e->run_src = NO_CLAIM;
    return 0;
}

static holding *holding_of(initiative *e, size_t src)
{
    for (size_t i = 0; i < e->by.n; i++)
        if (e->by.v[i].src == src)
            return &e->by.v[i];
    return NULL;
}

/* src holds e with fp at line (added, or its hold updated). */
static int hold(initiative *e, size_t src, uint64_t fp, long line)
{
    holding *h = holding_of(e, src);
    if (h) {
        h->fp = fp;
        h->line = line;
        return 0;
    }
    holding n = {src, fp, line};
    return OA_VEC_PUSH(&e->by, n);
}

static void let_go(initiative *e, size_t src)
{
    holding *h = holding_of(e, src);
    if (h)
        *h = e->by.v[--e->by.n];
}

/* The holder whose record the document holds: the one whose real path
 * sorts last (a fresh build of a folder reads its files in that order, and
 * the later read wins), or -1 when there is none. */
static long winner(const oa_sync *s, const initiative *e)
{
    long best = -1;
    for (size_t i = 0; i < e->by.n; i++) {
        size_t src = e->by.v[i].src;
        if (best < 0 || strcmp(oa_map_key(&s->source_keys, src),
                               oa_map_key(&s->source_keys, (size_t)best)) > 0)
            best = (long)src;
    }
    return best;
}

/* 1 when a source other than src holds e and wins over src. */
static int outranked(const oa_sync *s, const initiative *e, long src)
{
    if (src < 0)
        return 0;
    const char *mine = oa_map_key(&s->source_keys, (size_t)src);
    for (size_t i = 0; i < e->by.n; i++)
        if ((long)e->by.v[i].src != src &&
            strcmp(oa_map_key(&s->source_keys, e->by.v[i].src), mine) > 0)
            return 1;
    return 0;
}

static int queue_restore(oa_sync *s, long src)
{
    if (src < 0 || s->sources[src].queued)
        return 0;
    s->sources[src].queued = 1;
    return OA_VEC_PUSH(&s->restore, (size_t)src);
}

static int delete_doc(oa_sync *s, size_t id, size_t *deleted)
{
    oa_buf_reset(&s->scratch);
    int rc = oa_buf_puts(&s->scratch, OA_PREFIX_ID);
    if (!rc)
        rc = oa_buf_append(&s->scratch, oa_map_key(&s->id_keys, id), oa_map_len(&s->id_keys, id));
    size_t before = xapc_wdb_doc_count(s->db);
    if (!rc)
        rc = xapc_wdb_delete(s->db, s->scratch.data, s->scratch.len);
    size_t after = xapc_wdb_doc_count(s->db);
    if (!rc && deleted && before > after)
        *deleted += before - after;
    return rc;
}

/* ---- Records */

static void record_key(const char *identity, char *key, size_t cap)
{
    snprintf(key, cap, "%s%016" PRIx64, META_SOURCE_PREFIX, oa_fnv1a_str(identity));
}

/* The next NUL-terminated field of v[0..len) from *pos, or NULL. */
static const char *field(const char *v, size_t len, size_t *pos)
{
    if (*pos >= len)
        return NULL;
    const char *f = v + *pos;
    size_t n = strnlen(f, len - *pos);
    if (*pos + n >= len) /* no terminating NUL */
        return NULL;
    *pos += n + 1;
    return f;
}

/* Reads the record v[0..len) of src: 1 when it parsed, 0 when not (src is
 * then read again), or an error. */
static int parse_record(oa_sync *s, size_t src, const char *v, size_t len)
{
    source *so = &s->sources[src];
    const char *identity = oa_map_key(&s->source_keys, src);
    size_t pos = 0;
    const char *magic = field(v, len, &pos), *path = field(v, len, &pos);
    if (!magic || !path || strcmp(path, identity))
        return 0;
    int v1 = !strcmp(magic, RECORD_MAGIC_V1);
    if (!v1 && strcmp(magic, RECORD_MAGIC))
        return 0;
    const char *display = v1 ? path : field(v, len, &pos), *nums = field(v, len, &pos);
    if (!display || !nums)
        return 0;
    unsigned long long size, h0, h1, build, warnings, skipped, n;
    long long sec;
    long nsec;
    if (sscanf(nums, "%llu %lld %ld %llx %llx %llx %llu %llu %llu", &size, &sec, &nsec, &h0, &h1,
               &build, &warnings, &skipped, &n) != 9)
        return 0;
    size_t count = 0;
    for (size_t i = pos; i < len; i++)
        count += v[i] == '\0';
    if (count != n || (pos < len && v[len - 1] != '\0'))
        return 0;
    so->st.size = size;
    so->st.mtime_sec = sec;
    so->st.mtime_nsec = nsec;
    so->st.hash[0] = h0;
    so->st.hash[1] = h1;
    so->build = build;
    so->warnings = (size_t)warnings;
    so->skipped = (size_t)skipped;
    int rc = 0;
    if (!(so->display = oa_strdup(display)))
        return OASIS_ENOMEM;
    for (const char *f; !rc && (f = field(v, len, &pos)) != NULL;) {
        unsigned long long fp = 0;
        long line = 0;
        const char *id = f;
        if (!v1) {
            int used = 0;
            if (sscanf(f, "%llx %ld %n", &fp, &line, &used) != 2 || !used)
                continue;
            id = f + used;
        }
        size_t idx;
        if ((rc = add_id(s, id, strlen(id), &idx)))
            break;
        if (!holding_of(&s->ids[idx], src))
            rc = OA_VEC_PUSH(&so->ids, idx);
        if (!rc)
            rc = hold(&s->ids[idx], src, (uint64_t)fp, line);
    }
    so->recorded = 1;
    return rc ? rc : 1;
}

static int append_held(oa_buf *b, const char *id, uint64_t fp, long line)
{
    int rc = oa_buf_printf(b, "%016" PRIx64 " %ld %s", fp, line, id);
    return rc ? rc : oa_buf_putc(b, '\0');
}

/* Writes src's record: whole, or without a hash (to read it again) while
 * it is being read or waits for restores, with what it holds then. */
static int put_record(oa_sync *s, size_t src)
{
    source *so = &s->sources[src];
    int reading = s->cur == (long)src, partial = reading || so->leaving.n;
    const char *identity = oa_map_key(&s->source_keys, src);
    size_t n = so->ids.n + so->leaving.n + (reading ? s->cur_held.n : 0);
    oa_buf b = OA_BUF_INIT;
    int rc = 0;
    if ((rc = oa_buf_append(&b, RECORD_MAGIC, sizeof RECORD_MAGIC)) ||
        (rc = oa_buf_append(&b, identity, strlen(identity) + 1)) ||
        (rc = oa_buf_append(&b, so->display, strlen(so->display) + 1)) ||
        (rc = oa_buf_printf(&b, "%llu %lld %ld %" PRIx64 " %" PRIx64 " %" PRIx64 " %zu %zu %zu",
                            so->st.size, so->st.mtime_sec, so->st.mtime_nsec,
                            partial ? 0 : so->st.hash[0], partial ? 0 : so->st.hash[1], so->build,
                            so->warnings, so->skipped, n)) ||
        (rc = oa_buf_putc(&b, '\0')))
        goto out;
    for (size_t i = 0; i < so->ids.n && !rc; i++) {
        size_t id = so->ids.v[i];
        const holding *h = holding_of(&s->ids[id], src);
        rc = append_held(&b, oa_map_key(&s->id_keys, id), h ? h->fp : 0, h ? h->line : 0);
    }
    for (size_t i = 0; i < so->leaving.n && !rc; i++)
        rc = append_held(&b, oa_map_key(&s->id_keys, so->leaving.v[i].src), so->leaving.v[i].fp,
                         so->leaving.v[i].line);
    for (size_t i = 0; reading && i < s->cur_held.n && !rc; i++)
        rc = append_held(&b, oa_map_key(&s->id_keys, s->cur_held.v[i].src), s->cur_held.v[i].fp,
                         s->cur_held.v[i].line);
    char key[64];
    record_key(identity, key, sizeof key);
    if (!rc)
        rc = xapc_wdb_set_metadata(s->db, key, b.data, b.len);
    if (!rc && !so->recorded) {
        so->recorded = 1;
        s->dirty = 1;
    }
out:
    oa_buf_free(&b);
    return rc;
}

/* ---- Opening */

int oa_sync_open(oa_sync **out, struct xapc_wdb *db, const oasis_writer_options *opts)
{
    *out = NULL;
    oa_sync *s = calloc(1, sizeof *s);
    if (!s)
        return oa_error(OASIS_ENOMEM, "out of memory");
    s->db = db;
    s->cur = -1;
    s->build = build_fingerprint();
    oasis_writer_options defaults = OASIS_WRITER_OPTIONS_INIT;
    s->opts = opts ? *opts : defaults;
    char *list = NULL, *v = NULL;
    size_t len = 0, vlen;
    int rc = xapc_wdb_get_metadata(db, OA_META_SOURCES, &list, &len);
    for (size_t i = 0; !rc && i < len;) {
        size_t n = strnlen(list + i, len - i), src;
        int added = 0;
        if (n && i + n < len && !(rc = add_source(s, list + i, &src, &added)) && added) {
            char key[64];
            record_key(list + i, key, sizeof key);
            if (!(rc = xapc_wdb_get_metadata(db, key, &v, &vlen)) &&
                (rc = parse_record(s, src, v, vlen)) == 0)
                s->dirty = 1; /* dropped from the list: read again when met */
            rc = rc < 0 ? rc : 0;
            free(v);
            v = NULL;
        }
        i += n + 1;
    }
    free(list);
    if (rc) {
        oa_sync_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void oa_sync_free(oa_sync *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->source_keys.n; i++) {
        free(s->sources[i].display);
        free(s->sources[i].ids.v);
        free(s->sources[i].leaving.v);
    }
    for (size_t i = 0; i < s->id_keys.n; i++)
        free(s->ids[i].by.v);
    for (size_t i = 0; i < s->dirs.n; i++)
        free(s->dirs.v[i]);
    oa_map_free(&s->source_keys);
    oa_map_free(&s->id_keys);
    free(s->sources);
    free(s->ids);
    free(s->dirs.v);
    free(s->cur_held.v);
    free(s->restore.v);
    free(s->unsettled.v);
    free(s->orphans.v);
    oa_buf_free(&s->scratch);
    free(s);
}

const oasis_writer_options *oa_sync_options(const oa_sync *s)
{
    return &s->opts;
}

int oa_sync_flush(oa_sync *s)
{
    if (!s)
        return 0;
    int rc = s->cur >= 0 ? put_record(s, (size_t)s->cur) : 0;
    if (rc || !s->dirty)
        return rc;
    oa_buf b = OA_BUF_INIT;
    rc = oa_buf_append(&b, "", 0);
    for (size_t i = 0; i < s->source_keys.n && !rc; i++)
        if (s->sources[i].recorded && !s->sources[i].gone)
            rc = oa_buf_append(&b, oa_map_key(&s->source_keys, i),
                               oa_map_len(&s->source_keys, i) + 1);
    if (!rc)
        rc = xapc_wdb_set_metadata(s->db, OA_META_SOURCES, b.data, b.len);
    oa_buf_free(&b);
    if (!rc)
        s->dirty = 0;
    return rc;
}

/* ---- Sources */

int oa_sync_source(oa_sync *s, const char *identity, const char *display, size_t *src)
{
    int added, rc = add_source(s, identity, src, &added);
    if (rc)
        return rc;
    source *so = &s->sources[*src];
    if (!so->display || strcmp(so->display, display)) {
        char *copy = oa_strdup(display);
        if (!copy)
            return OASIS_ENOMEM;
        free(so->display);
        so->display = copy;
    }
    so->seen = 1;
    return 0;
}

int oa_sync_seen_dir(oa_sync *s, const char *identity)
{
    char *copy = oa_strdup(identity);
    if (!copy)
        return OASIS_ENOMEM;
    int rc = OA_VEC_PUSH(&s->dirs, copy);
    if (rc)
        free(copy);
    return rc;
}

const char *oa_sync_identity(const oa_sync *s, size_t src)
{
    return oa_map_key(&s->source_keys, src);
}

const char *oa_sync_display(const oa_sync *s, size_t src)
{
    return s->sources[src].display;
}

int oa_sync_handled(const oa_sync *s, size_t src)
{
    return s->sources[src].handled;
}

int oa_sync_recorded(const oa_sync *s, size_t src, oa_file_state *st)
{
    const source *so = &s->sources[src];
    if (!so->recorded || so->build != s->build ||
        (!so->st.hash[0] && !so->st.hash[1]))
        return 0;
    *st = so->st;
    return 1;
}

int oa_sync_keep(oa_sync *s, size_t src, const oa_file_state *st, size_t *warnings,
                 size_t *skipped)
{
    source *so = &s->sources[src];
    so->handled = 1;
    *warnings = so->warnings;
    *skipped = so->skipped;
    if (so->st.mtime_sec == st->mtime_sec && so->st.mtime_nsec == st->mtime_nsec)
        return 0;
    so->st.mtime_sec = st->mtime_sec;
    so->st.mtime_nsec = st->mtime_nsec;
    return put_record(s, src);
}

/* ---- Reading */

int oa_sync_read_begin(oa_sync *s, size_t src)
{
    s->cur = (long)src;
    s->cur_held.n = 0;
    s->sources[src].handled = 1;
    return 0;
}

static void report(const oa_sync *s, long src, long line, int same, oa_sync_dup *dup)
{
    dup->file = src >= 0 ? s->sources[src].display : "(added without a file)";
    dup->line = line;
    dup->same = same;
}

static void give(initiative *e, long src, uint64_t fp, long line)
{
    e->run_src = src;
    e->run_fp = fp;
    e->run_line = line;
}

/* Whether the derived id of e can go to an initiative fp at line of src:
 * 1 yes, 0 no (another initiative has it); dup filled for the same one
 * found elsewhere. */
static int derived_fits(const oa_sync *s, const initiative *e, long src, uint64_t fp, long line,
                        oa_sync_dup *dup)
{
    if (e->run_src != NO_CLAIM) {
        if (e->run_fp != fp)
            return 0;
        if (e->run_src != src || e->run_line != line)
            report(s, e->run_src, e->run_line, 1, dup);
        return 1;
    }
    if (src == NO_SOURCE)
        return 1;
    int other = 0;
    for (size_t i = 0; i < e->by.n; i++) {
        const holding *h = &e->by.v[i];
        if ((long)h->src == src)
            continue;
        if (h->fp == fp) {
            report(s, (long)h->src, h->line, 1, dup);
            return 1;
        }
        if (h->fp == 0) /* content unknown: an index of the first format */
            return 1;
        other = 1;
    }
    return !other;
}

int oa_sync_claim(oa_sync *s, const char *id, int derived, uint64_t fp, long line, oa_buf *out,
                  oa_sync_dup *dup)
{
    memset(dup, 0, sizeof *dup);
    oa_buf_reset(out);
    int rc = oa_buf_puts(out, id);
    size_t idx, base = out->len;
    long src = s->cur;
    if (rc)
        return rc;
    if (!derived) {
        if ((rc = add_id(s, out->data, out->len, &idx)))
            return rc;
        initiative *e = &s->ids[idx];
        if (e->run_src != NO_CLAIM) {
            if (e->run_src != src || e->run_line != line)
                report(s, e->run_src, e->run_line, e->run_fp == fp, dup);
        } else {
            for (size_t i = 0; i < e->by.n; i++)
                if ((long)e->by.v[i].src != src && e->by.v[i].fp) {
                    report(s, (long)e->by.v[i].src, e->by.v[i].line, e->by.v[i].fp == fp, dup);
                    break;
                }
        }
        give(e, src, fp, line);
        dup->outranked = outranked(s, e, src);
        return 0;
    }
    for (unsigned k = 2;; k++) {
        if ((rc = add_id(s, out->data, out->len, &idx)))
            return rc;
        if (derived_fits(s, &s->ids[idx], src, fp, line, dup)) {
            give(&s->ids[idx], src, fp, line);
            dup->outranked = outranked(s, &s->ids[idx], src);
            return 0;
        }
        out->len = base;
        if ((rc = oa_buf_printf(out, "-%u", k)))
            return rc;
    }
}

int oa_sync_note(oa_sync *s, const char *id, uint64_t fp, long line)
{
    if (s->cur < 0)
        return 0;
    size_t idx;
    int rc = add_id(s, id, strlen(id), &idx);
    holding h = {idx, fp, line};
    return rc ? rc : OA_VEC_PUSH(&s->cur_held, h);
}

int oa_sync_read_end(oa_sync *s, const oa_file_state *st, size_t warnings, size_t skipped,
                     size_t *removed)
{
    *removed = 0;
    size_t src = (size_t)s->cur;
    source *so = &s->sources[src];
    unsigned gen = ++s->gen;
    int rc = 0;
    for (size_t i = 0; i < s->cur_held.n; i++)
        s->ids[s->cur_held.v[i].src].mark = gen;
    /* What it held before and holds no more. */
    for (size_t i = 0; i < so->ids.n && !rc; i++) {
        initiative *e = &s->ids[so->ids.v[i]];
        if (e->mark == gen)
            continue;
        long was = winner(s, e);
        holding h = *holding_of(e, src);
        let_go(e, src);
        if (!e->by.n) {
            rc = delete_doc(s, so->ids.v[i], removed);
        } else if (was == (long)src) {
            h.src = so->ids.v[i];
            if (!(rc = OA_VEC_PUSH(&so->leaving, h)))
                rc = queue_restore(s, winner(s, e));
        }
    }
    /* What it holds now (an id read twice is held once). */
    so->ids.n = 0;
    gen = ++s->gen;
    for (size_t i = 0; i < s->cur_held.n && !rc; i++) {
        const holding *h = &s->cur_held.v[i];
        initiative *e = &s->ids[h->src];
        if (e->mark != gen) {
            e->mark = gen;
            rc = OA_VEC_PUSH(&so->ids, h->src);
        }
        if (!rc)
            rc = hold(e, src, h->fp, h->line);
    }
    if (rc)
        return rc;
    so->st = *st;
    so->build = s->build;
    so->warnings = warnings;
    so->skipped = skipped;
    s->cur = -1;
    s->cur_held.n = 0;
    if (so->leaving.n && (rc = OA_VEC_PUSH(&s->unsettled, src)))
        return rc;
    return put_record(s, src);
}

/* ---- Restoring and pruning */

int oa_sync_next_restore(oa_sync *s, size_t *src)
{
    while (s->restore.n) {
        size_t first = s->restore.v[0];
        memmove(s->restore.v, s->restore.v + 1, --s->restore.n * sizeof *s->restore.v);
        s->sources[first].queued = 0;
        if (!s->sources[first].gone) {
            *src = first;
            return 1;
        }
    }
    return 0;
}

int oa_sync_settle(oa_sync *s)
{
    int rc = 0;
    for (size_t i = 0; i < s->unsettled.n && !rc; i++) {
        source *so = &s->sources[s->unsettled.v[i]];
        if (!so->leaving.n)
            continue;
        so->leaving.n = 0;
        if (!so->gone)
            rc = put_record(s, s->unsettled.v[i]);
    }
    if (!rc)
        s->unsettled.n = 0;
    return rc;
}

/* 1 when identity lies under one of the directories that could not be
 * listed. */
static int under_unlisted(const oa_sync *s, const char *identity)
{
    for (size_t i = 0; i < s->dirs.n; i++) {
        size_t n = strlen(s->dirs.v[i]);
        while (n > 1 && s->dirs.v[i][n - 1] == '/')
            n--;
        if (!strncmp(identity, s->dirs.v[i], n) && identity[n] == '/')
            return 1;
    }
    return 0;
}

int oa_sync_prune_begin(oa_sync *s)
{
    size_t n = s->source_keys.n;
    for (size_t i = 0; i < n; i++) {
        source *so = &s->sources[i];
        so->gone = so->recorded && !so->seen && !under_unlisted(s, oa_map_key(&s->source_keys, i));
    }
    unsigned gen = ++s->gen;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        source *so = &s->sources[i];
        for (size_t j = 0; so->gone && j < so->ids.n && !rc; j++) {
            initiative *e = &s->ids[so->ids.v[j]];
            if (e->mark == gen)
                continue;
            e->mark = gen;
            long was = winner(s, e);
            for (size_t k = 0; k < e->by.n;)
                if (s->sources[e->by.v[k].src].gone)
                    e->by.v[k] = e->by.v[--e->by.n];
                else
                    k++;
            if (!e->by.n)
                rc = OA_VEC_PUSH(&s->orphans, so->ids.v[j]);
            else if (was >= 0 && s->sources[was].gone)
                rc = queue_restore(s, winner(s, e));
        }
    }
    return rc;
}

int oa_sync_prune_end(oa_sync *s, size_t *sources, size_t *docs)
{
    *sources = *docs = 0;
    int rc = 0;
    for (size_t i = 0; i < s->orphans.n && !rc; i++)
        if (!s->ids[s->orphans.v[i]].by.n)
            rc = delete_doc(s, s->orphans.v[i], docs);
    for (size_t i = 0; i < s->source_keys.n && !rc; i++) {
        source *so = &s->sources[i];
        if (!so->gone || !so->recorded)
            continue;
        char key[64];
        record_key(oa_map_key(&s->source_keys, i), key, sizeof key);
        if (!(rc = xapc_wdb_set_metadata(s->db, key, "", 0))) {
            so->recorded = 0;
            so->ids.n = 0;
            s->dirty = 1;
            (*sources)++;
        }
    }
    if (!rc)
        s->orphans.n = 0;
    return rc;
}
