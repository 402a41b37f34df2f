/* Glass index directories (see glassdir.h). */
#define _GNU_SOURCE /* F_OFD_SETLK, the lock Xapian takes; renameat2 */
#include "xapian/glassdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oasis.h"
#include "util/buf.h"
#include "util/error.h"
#include "xapian/xapc.h"

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

int xapc_glassdir_clear_unfinished(const char *path)
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

int xapc_glassdir_index_missing(const char *path)
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

int xapc_glassdir_compact(struct xapc_wdb *db, const char *path)
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

int xapc_glassdir_finish_compaction(const char *path)
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
