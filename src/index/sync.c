/* Source records in the index metadata (see sync.h).
 *
 * Keys: OA_META_SOURCES holds the recorded paths, each followed by '\0';
 * "oasis.source:" and a 16-digit hash of the path holds one record:
 * "oasis-source 1", the path, then the numbers "size sec nsec hash0 hash1
 * build warnings skipped n_ids", then the ids, each field followed by '\0'
 * (ids and paths may hold any byte but NUL). A record that does not parse
 * counts as missing: its source is read again. */
#define _GNU_SOURCE /* F_OFD_SETLK, the lock Xapian takes */
#include "index/sync.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/analyzer.h"
#include "index/schema.h"
#include "index/writer.h"
#include "taxonomy/categories.h"
#include "taxonomy/departements.h"
#include "util/error.h"
#include "util/hash.h"
#include "xapian/xapc.h"

#define META_SOURCES "oasis.sources"
#define META_SOURCE_PREFIX "oasis.source:"
#define RECORD_MAGIC "oasis-source 1"

struct oa_sync {
    struct xapc_wdb *db;
    oasis_writer_options opts;
    char **paths;        /* recorded sources, in the list's order */
    unsigned char *seen; /* per path: met by this writer */
    size_t n, cap;
    size_t *slots;       /* hash table of indexes into paths, +1 (0: empty) */
    size_t n_slots;
    char **dirs;         /* directories that could not be listed */
    size_t n_dirs;
    int dirty;           /* the list changed since it was loaded or written */
};

uint64_t oa_sync_build_fingerprint(void)
{
    const char *parts[] = {OA_ANALYZER_VERSION, OA_SCHEMA_VERSION, oa_departements_tsv,
                           oa_categories_tsv, oa_category_rules_tsv};
    uint64_t h = OA_FNV_BASIS;
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = oa_fnv1a(h, parts[i], strlen(parts[i]) + 1);
    return h;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

void oa_sync_hash_init(oa_sync_hasher *h, unsigned long long len)
{
    h->a = 0x9e3779b97f4a7c15ull ^ len;
    h->b = 0x6a09e667f3bcc909ull + len;
    h->len = len;
    h->done = 0;
    h->n_tail = 0;
}

/* Two lanes over 8-byte words: fast, and enough to tell a changed file
 * (nobody is trying to fool it). */
static void hash_word(oa_sync_hasher *h, const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    h->a = (h->a ^ w) * 0x100000001b3ull;
    h->a = (h->a << 29) | (h->a >> 35);
    h->b = (h->b + w) * 0xff51afd7ed558ccdull;
    h->b ^= h->b >> 31;
}

void oa_sync_hash_update(oa_sync_hasher *h, const char *buf, size_t n)
{
    h->done += n;
    if (h->n_tail) {
        size_t k = 8 - h->n_tail < n ? 8 - h->n_tail : n;
        memcpy(h->tail + h->n_tail, buf, k);
        h->n_tail += k;
        buf += k;
        n -= k;
        if (h->n_tail < 8)
            return;
        hash_word(h, h->tail);
        h->n_tail = 0;
    }
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        hash_word(h, buf + i);
    memcpy(h->tail, buf + i, n - i);
    h->n_tail = n - i;
}

int oa_sync_hash_final(oa_sync_hasher *h, uint64_t out[2])
{
    uint64_t tail = 0;
    memcpy(&tail, h->tail, h->n_tail);
    uint64_t a = mix(h->a ^ tail);
    out[0] = a;
    out[1] = mix(h->b + tail + a);
    return h->done == h->len;
}

void oa_sync_hash(const char *buf, size_t len, uint64_t out[2])
{
    oa_sync_hasher h;
    oa_sync_hash_init(&h, len);
    oa_sync_hash_update(&h, buf, len);
    oa_sync_hash_final(&h, out);
}

void oa_source_rec_free(oa_source_rec *rec)
{
    oa_buf_free(&rec->ids);
    rec->n_ids = 0;
}

static size_t slot_of(const oa_sync *s, const char *path)
{
    size_t mask = s->n_slots - 1, j = oa_fnv1a_str(path) & mask;
    while (s->slots[j] && strcmp(s->paths[s->slots[j] - 1], path))
        j = (j + 1) & mask;
    return j;
}

static int rehash(oa_sync *s, size_t want)
{
    size_t n = 64;
    while (n < want * 2)
        n *= 2;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return oa_error(OASIS_ENOMEM, "out of memory");
    free(s->slots);
    s->slots = slots;
    s->n_slots = n;
    for (size_t i = 0; i < s->n; i++)
        s->slots[slot_of(s, s->paths[i])] = i + 1;
    return 0;
}

/* Index of path in the list, or -1. */
static long find(const oa_sync *s, const char *path)
{
    if (!s->n_slots)
        return -1;
    size_t j = slot_of(s, path);
    return s->slots[j] ? (long)(s->slots[j] - 1) : -1;
}

static int push_path(oa_sync *s, const char *path, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **p = realloc(s->paths, cap * sizeof *p);
        if (!p)
            return oa_error(OASIS_ENOMEM, "out of memory");
        s->paths = p;
        unsigned char *seen = realloc(s->seen, cap);
        if (!seen)
            return oa_error(OASIS_ENOMEM, "out of memory");
        s->seen = seen;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->n_slots) {
        int rc = rehash(s, s->n + 1);
        if (rc)
            return rc;
    }
    char *copy = oa_strndup(path, len);
    if (!copy)
        return OASIS_ENOMEM;
    size_t j = slot_of(s, copy);
    if (s->slots[j]) { /* listed twice: keep one */
        free(copy);
        return 0;
    }
    s->paths[s->n] = copy;
    s->seen[s->n] = 0;
    s->slots[j] = ++s->n;
    return 0;
}

int oa_sync_open(oa_sync **out, struct xapc_wdb *db, const oasis_writer_options *opts)
{
    *out = NULL;
    oa_sync *s = calloc(1, sizeof *s);
    if (!s)
        return oa_error(OASIS_ENOMEM, "out of memory");
    s->db = db;
    oasis_writer_options defaults = OASIS_WRITER_OPTIONS_INIT;
    s->opts = opts ? *opts : defaults;
    char *list = NULL;
    size_t len = 0;
    int rc = xapc_wdb_get_metadata(db, META_SOURCES, &list, &len);
    for (size_t i = 0; !rc && i < len;) {
        size_t n = strnlen(list + i, len - i);
        if (n)
            rc = push_path(s, list + i, n);
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
    for (size_t i = 0; i < s->n; i++)
        free(s->paths[i]);
    for (size_t i = 0; i < s->n_dirs; i++)
        free(s->dirs[i]);
    free(s->paths);
    free(s->seen);
    free(s->slots);
    free(s->dirs);
    free(s);
}

const oasis_writer_options *oa_sync_options(const oa_sync *s)
{
    return &s->opts;
}

int oa_sync_flush(oa_sync *s)
{
    if (!s || !s->dirty)
        return 0;
    oa_buf b = OA_BUF_INIT;
    int rc = oa_buf_append(&b, "", 0);
    for (size_t i = 0; i < s->n && !rc; i++)
        rc = oa_buf_append(&b, s->paths[i], strlen(s->paths[i]) + 1);
    if (!rc)
        rc = xapc_wdb_set_metadata(s->db, META_SOURCES, b.data, b.len);
    oa_buf_free(&b);
    if (!rc)
        s->dirty = 0;
    return rc;
}

static int record_key(const char *path, char *key, size_t cap)
{
    snprintf(key, cap, "%s%016" PRIx64, META_SOURCE_PREFIX, oa_fnv1a_str(path));
    return 0;
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

static int parse_record(const char *path, const char *v, size_t len, oa_source_rec *rec)
{
    size_t pos = 0;
    const char *magic = field(v, len, &pos), *p = field(v, len, &pos), *nums = field(v, len, &pos);
    if (!magic || strcmp(magic, RECORD_MAGIC) || !p || strcmp(p, path) || !nums)
        return 0;
    unsigned long long size, h0, h1, build, warnings, skipped, n_ids;
    long long sec;
    long nsec;
    if (sscanf(nums, "%llu %lld %ld %llx %llx %llx %llu %llu %llu", &size, &sec, &nsec, &h0, &h1,
               &build, &warnings, &skipped, &n_ids) != 9)
        return 0;
    rec->size = size;
    rec->mtime_sec = sec;
    rec->mtime_nsec = nsec;
    rec->hash[0] = h0;
    rec->hash[1] = h1;
    rec->build = build;
    rec->warnings = (size_t)warnings;
    rec->skipped = (size_t)skipped;
    size_t ids_len = len - pos, count = 0;
    for (size_t i = pos; i < len; i++)
        count += v[i] == '\0';
    if (count != n_ids || (ids_len && v[len - 1] != '\0'))
        return 0;
    int rc = oa_buf_append(&rec->ids, v + pos, ids_len);
    if (rc)
        return rc;
    rec->n_ids = count;
    return 1;
}

int oa_sync_lookup(oa_sync *s, const char *path, oa_source_rec *rec)
{
    memset(rec, 0, sizeof *rec);
    if (find(s, path) < 0)
        return 0;
    char key[64];
    record_key(path, key, sizeof key);
    char *v;
    size_t len;
    int rc = xapc_wdb_get_metadata(s->db, key, &v, &len);
    if (rc)
        return rc;
    rc = parse_record(path, v, len, rec);
    free(v);
    if (rc != 1)
        oa_source_rec_free(rec);
    return rc;
}

int oa_sync_put(oa_sync *s, const char *path, const oa_source_rec *rec)
{
    long i = find(s, path);
    int rc = 0;
    if (i < 0) {
        if ((rc = push_path(s, path, strlen(path))))
            return rc;
        s->dirty = 1;
        i = (long)s->n - 1;
    }
    s->seen[i] = 1;
    oa_buf b = OA_BUF_INIT;
    char key[64];
    record_key(path, key, sizeof key);
    if (!(rc = oa_buf_append(&b, RECORD_MAGIC, sizeof RECORD_MAGIC)) &&
        !(rc = oa_buf_append(&b, path, strlen(path) + 1)) &&
        !(rc = oa_buf_printf(&b, "%llu %lld %ld %" PRIx64 " %" PRIx64 " %" PRIx64 " %zu %zu %zu",
                             rec->size, rec->mtime_sec, rec->mtime_nsec, rec->hash[0],
                             rec->hash[1], rec->build, rec->warnings, rec->skipped, rec->n_ids)) &&
        !(rc = oa_buf_putc(&b, '\0')) && !(rc = oa_buf_append(&b, rec->ids.data, rec->ids.len)))
        rc = xapc_wdb_set_metadata(s->db, key, b.data, b.len);
    oa_buf_free(&b);
    return rc;
}

int oa_sync_seen(oa_sync *s, const char *path, int dir)
{
    if (dir) {
        char **v = realloc(s->dirs, (s->n_dirs + 1) * sizeof *v);
        if (!v)
            return oa_error(OASIS_ENOMEM, "out of memory");
        s->dirs = v;
        if (!(s->dirs[s->n_dirs] = oa_strdup(path)))
            return OASIS_ENOMEM;
        s->n_dirs++;
        return 0;
    }
    long i = find(s, path);
    if (i >= 0)
        s->seen[i] = 1;
    return 0;
}

/* 1 when path lies under one of the directories that could not be listed. */
static int under_unlisted(const oa_sync *s, const char *path)
{
    for (size_t i = 0; i < s->n_dirs; i++) {
        size_t n = strlen(s->dirs[i]);
        while (n > 1 && s->dirs[i][n - 1] == '/')
            n--;
        if (!strncmp(path, s->dirs[i], n) && path[n] == '/')
            return 1;
    }
    return 0;
}

int oa_sync_prune(oa_sync *s, size_t *sources, size_t *docs)
{
    *sources = *docs = 0;
    size_t kept = 0;
    int rc = 0;
    oa_buf term = OA_BUF_INIT;
    for (size_t i = 0; i < s->n; i++) {
        if (rc || s->seen[i] || under_unlisted(s, s->paths[i])) {
            s->paths[kept] = s->paths[i];
            s->seen[kept++] = s->seen[i];
            continue;
        }
        char key[64];
        record_key(s->paths[i], key, sizeof key);
        size_t before = xapc_wdb_doc_count(s->db);
        if (!(rc = oa_source_term(s->paths[i], &term)) &&
            !(rc = xapc_wdb_delete(s->db, term.data, term.len)) &&
            !(rc = xapc_wdb_set_metadata(s->db, key, "", 0))) {
            size_t after = xapc_wdb_doc_count(s->db);
            *docs += before > after ? before - after : 0;
            (*sources)++;
            s->dirty = 1;
            free(s->paths[i]);
        } else {
            s->paths[kept] = s->paths[i];
            s->seen[kept++] = s->seen[i];
        }
    }
    oa_buf_free(&term);
    s->n = kept;
    int rc2 = rehash(s, s->n);
    return rc ? rc : rc2;
}

/* 1 when name is a file a glass index being created may hold. */
static int creation_file(const char *dir, const char *name, int *tables)
{
    size_t n = strlen(name);
    if (!strcmp(name, "flintlock") || !strcmp(name, "v.tmp"))
        return 1;
    if (n <= 6 || strcmp(name + n - 6, ".glass"))
        return 0;
    char path[4096];
    struct stat st;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path ||
        stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0)
        return 0;
    (*tables)++;
    return 1;
}

/* 1 when dir holds the remains of an unfinished creation only. */
static int unfinished(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int ok = 1, tables = 0;
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            ok = creation_file(dir, e->d_name, &tables);
    closedir(d);
    return ok && tables > 0;
}

/* Takes the write lock Xapian takes on the index at path (an OFD lock on
 * its flintlock), so that no writer can open it meanwhile: an fd to
 * close() to release it, or -1 when there is no lock file or a writer
 * holds the index. */
static int lock_index(const char *path)
{
    char file[4096];
    if ((size_t)snprintf(file, sizeof file, "%s/flintlock", path) >= sizeof file)
        return -1;
    int fd = open(file, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct flock lk;
    memset(&lk, 0, sizeof lk);
    lk.l_type = F_WRLCK;
    lk.l_whence = SEEK_SET;
    lk.l_len = 1;
    if (fcntl(fd, F_OFD_SETLK, &lk) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int oa_sync_clear_unfinished(const char *path)
{
    char file[4096];
    struct stat st;
    if ((size_t)snprintf(file, sizeof file, "%s/iamglass", path) >= sizeof file ||
        stat(file, &st) == 0 || !unfinished(path))
        return 0;
    /* -1 also when a writer holds it: it is being created right now. */
    int fd = lock_index(path);
    if (fd < 0)
        return 0;
    int rc = 0;
    if (unfinished(path)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && !rc && (e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (!strcmp(e->d_name, "v.tmp") || (n > 6 && !strcmp(e->d_name + n - 6, ".glass"))) {
                snprintf(file, sizeof file, "%s/%s", path, e->d_name);
                if (unlink(file) != 0 && errno != ENOENT)
                    rc = oa_error(OASIS_EIO, "cannot remove %s: %s", file, strerror(errno));
            }
        }
        if (d)
            closedir(d);
    }
    close(fd);
    return rc;
}

int oa_sync_index_missing(const char *path)
{
    char file[4096];
    struct stat st;
    return (size_t)snprintf(file, sizeof file, "%s/iamglass", path) < sizeof file &&
           stat(file, &st) != 0;
}

/* ---- Compaction: a compact copy built beside the index, then swapped in.
 *
 * The copy goes to PATH.compacting; once it is whole, a mark file there
 * lists its files. The swap exchanges the two directories in one step
 * (renameat2 RENAME_EXCHANGE), so a reader opens either the whole old index
 * or the whole copy, then removes the old one, now at PATH.compacting.
 * Where the file system cannot exchange, each table is renamed over the
 * index's, the version file (iamglass) last, then the tables the copy has
 * not are removed: a reader opening the index in that moment can fail.
 * A writer that finds a marked copy beside the index when it opens it (a
 * crash before or during the swap) finishes the swap first; an unmarked
 * one (a crash during compaction, or the old index after the exchange) is
 * removed, and so is a mark left inside the index. */

#define COMPACT_SUFFIX ".compacting"
#define COMPACT_MARK "oasis-compacted"

static int compact_dir(const char *path, char *out, size_t cap)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if ((size_t)snprintf(out, cap, "%.*s%s", (int)n, path, COMPACT_SUFFIX) >= cap)
        return oa_error(OASIS_EINVAL, "index path too long");
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return oa_error(OASIS_EIO, "%s: %s", dir, strerror(errno));
    int rc = fsync(fd) == 0 ? 0 : oa_error(OASIS_EIO, "%s: %s", dir, strerror(errno));
    close(fd);
    return rc;
}

/* Removes dir and the files in it (it holds no directory). */
static int remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : oa_error(OASIS_EIO, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    char file[4096];
    int rc = 0;
    while (!rc && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(file, sizeof file, "%s/%s", dir, e->d_name);
        if (unlink(file) != 0 && errno != ENOENT)
            rc = oa_error(OASIS_EIO, "cannot remove %s: %s", file, strerror(errno));
    }
    closedir(d);
    if (!rc && rmdir(dir) != 0 && errno != ENOENT)
        rc = oa_error(OASIS_EIO, "cannot remove %s: %s", dir, strerror(errno));
    return rc;
}

/* Writes the mark listing the files of the finished copy tmp. */
static int write_mark(const char *tmp)
{
    oa_buf names = OA_BUF_INIT;
    DIR *d = opendir(tmp);
    if (!d)
        return oa_error(OASIS_EIO, "%s: %s", tmp, strerror(errno));
    struct dirent *e;
    int rc = oa_buf_append(&names, "", 0);
    while (!rc && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            rc = oa_buf_printf(&names, "%s\n", e->d_name);
    closedir(d);
    char file[8192], part[8192];
    snprintf(file, sizeof file, "%s/%s", tmp, COMPACT_MARK);
    snprintf(part, sizeof part, "%s/%s.part", tmp, COMPACT_MARK);
    int fd = -1;
    if (!rc && (fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        rc = oa_error(OASIS_EIO, "%s: %s", part, strerror(errno));
    if (!rc && (write(fd, names.data, names.len) != (ssize_t)names.len || fsync(fd) != 0))
        rc = oa_error(OASIS_EIO, "%s: %s", part, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (!rc && rename(part, file) != 0)
        rc = oa_error(OASIS_EIO, "%s: %s", file, strerror(errno));
    if (!rc)
        rc = sync_dir(tmp);
    oa_buf_free(&names);
    return rc;
}

/* 1 when name is a line of the mark list. */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (l == n && !memcmp(p, name, n))
            return 1;
        p += l + (nl ? 1 : 0);
    }
    return 0;
}

/* The directory that holds path (for syncing a rename in it). */
static void parent_dir(const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "%s", path);
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/')
        out[--n] = '\0';
    char *slash = strrchr(out, '/');
    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == out)
        out[1] = '\0';
    else
        *slash = '\0';
}

/* Exchanges the marked copy tmp with the index at path in one step; 1 when
 * the file system cannot, 0 when done, or an error. */
static int exchange_in(const char *path, const char *tmp)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_EXCHANGE) != 0) {
        if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP || errno == EXDEV)
            return 1;
        return oa_error(OASIS_EIO, "cannot exchange %s and %s: %s", tmp, path, strerror(errno));
    }
    char dir[4096], mark[8192];
    parent_dir(path, dir, sizeof dir);
    int rc = sync_dir(dir);
    snprintf(mark, sizeof mark, "%s/%s", path, COMPACT_MARK);
    if (!rc && unlink(mark) != 0 && errno != ENOENT)
        rc = oa_error(OASIS_EIO, "cannot remove %s: %s", mark, strerror(errno));
    if (!rc)
        rc = remove_flat_dir(tmp); /* the old index */
    return rc;
}

/* Moves the marked copy tmp into path (see above). */
static int swap_in(const char *path, const char *tmp)
{
    int rc = exchange_in(path, tmp);
    if (rc <= 0)
        return rc;
    char mark[8192], from[8192], to[8192];
    snprintf(mark, sizeof mark, "%s/%s", tmp, COMPACT_MARK);
    char *list;
    size_t len;
    rc = oa_read_file(mark, &list, &len);
    if (rc)
        return rc;
    /* The tables first, then the version file that names their roots. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (const char *p = list; *p && !rc;) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p) : strlen(p);
            int version = l == 8 && !memcmp(p, "iamglass", 8);
            if (l && version == pass) {
                snprintf(from, sizeof from, "%s/%.*s", tmp, (int)l, p);
                snprintf(to, sizeof to, "%s/%.*s", path, (int)l, p);
                struct stat st;
                if (stat(from, &st) == 0 && rename(from, to) != 0)
                    rc = oa_error(OASIS_EIO, "cannot move %s to %s: %s", from, to,
                                  strerror(errno));
            }
            p += l + (nl ? 1 : 0);
        }
    }
    /* One sync at the end keeps the moment short: after a crash, the mark
     * lets the next writer move whatever did not reach the disk. */
    if (!rc)
        rc = sync_dir(path);
    /* Tables of the old index that the copy has not. */
    DIR *d = rc ? NULL : opendir(path);
    struct dirent *e;
    while (d && !rc && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 6 && !strcmp(e->d_name + n - 6, ".glass") && !listed(list, e->d_name)) {
            snprintf(to, sizeof to, "%s/%s", path, e->d_name);
            if (unlink(to) != 0 && errno != ENOENT)
                rc = oa_error(OASIS_EIO, "cannot remove %s: %s", to, strerror(errno));
        }
    }
    if (d)
        closedir(d);
    free(list);
    if (!rc)
        rc = remove_flat_dir(tmp);
    return rc;
}

int oa_sync_compact(struct xapc_wdb *db, const char *path)
{
    char tmp[4096];
    int rc = compact_dir(path, tmp, sizeof tmp);
    if (!rc)
        rc = remove_flat_dir(tmp); /* a copy left unfinished */
    if (!rc)
        rc = xapc_wdb_compact(db, tmp);
    if (!rc)
        rc = write_mark(tmp);
    if (!rc)
        return swap_in(path, tmp);
    char mark[8192];
    struct stat st;
    snprintf(mark, sizeof mark, "%s/%s", tmp, COMPACT_MARK);
    if (stat(mark, &st) != 0) /* not marked: the index is untouched */
        remove_flat_dir(tmp);
    return rc;
}

int oa_sync_finish_compaction(const char *path)
{
    char tmp[4096], file[8192];
    struct stat st;
    if (compact_dir(path, tmp, sizeof tmp) || stat(tmp, &st) != 0)
        return 0;
    /* -1 also when a writer holds it: it is compacting the index now. */
    int fd = lock_index(path);
    if (fd < 0)
        return 0;
    snprintf(file, sizeof file, "%s/%s", tmp, COMPACT_MARK);
    int rc = stat(file, &st) == 0 ? swap_in(path, tmp) : remove_flat_dir(tmp);
    snprintf(file, sizeof file, "%s/%s", path, COMPACT_MARK);
    if (!rc && unlink(file) != 0 && errno != ENOENT)
        rc = oa_error(OASIS_EIO, "cannot remove %s: %s", file, strerror(errno));
    close(fd);
    return rc;
}
