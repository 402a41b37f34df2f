/* A full disk, for the tests only (tests/test_enospc.c): loaded with
 * LD_PRELOAD, this library lets the bytes written to files under the
 * directory $OASIS_ENOSPC_DIR add up to $OASIS_ENOSPC_AFTER, then makes
 * every further write there fail with ENOSPC, as a file system that has
 * run out of room: the write that crosses the limit is cut short, the
 * next ones write nothing. Xapian's glass backend writes its blocks with
 * pwrite() (pwrite64) and its version file with write(); writev() and
 * pwritev() are covered too. Files elsewhere (the terminal, pipes, the
 * corpus) are not touched.
 *
 * With $OASIS_ENOSPC_KILL set, the write that would cross the limit kills
 * the process instead (SIGKILL, before it writes anything): a crash at a
 * point that is the same in every run, where a timer would fall anywhere.
 *
 * With $OASIS_ENOSPC_REPORT set, the bytes written under the directory
 * are written into that file when the process exits: a run without a
 * limit tells the test how much an index takes to write. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int loaded;
static char dir[4096];
static size_t dir_len;
static int limited, kill_at_limit;
static unsigned long long limit, written;

static void load(void)
{
    if (loaded)
        return;
    loaded = 1;
    const char *d = getenv("OASIS_ENOSPC_DIR");
    const char *after = getenv("OASIS_ENOSPC_AFTER");
    if (d && *d && strlen(d) < sizeof dir - 1) {
        strcpy(dir, d);
        dir_len = strlen(dir);
        while (dir_len > 1 && dir[dir_len - 1] == '/')
            dir[--dir_len] = '\0';
    }
    if (after && *after) {
        limited = 1;
        limit = strtoull(after, NULL, 10);
    }
    const char *kill_env = getenv("OASIS_ENOSPC_KILL");
    kill_at_limit = kill_env && *kill_env;
}

/* 1 when fd is a file under the directory. */
static int watched(int fd)
{
    load();
    if (!dir_len)
        return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return (size_t)n > dir_len && !strncmp(path, dir, dir_len) && path[dir_len] == '/';
}

/* How many of count bytes fit, or -1 (errno ENOSPC) when none does. */
static ssize_t room(size_t count)
{
    if (!limited || count == 0)
        return (ssize_t)count;
    if (kill_at_limit && written + count > limit)
        raise(SIGKILL);
    if (written >= limit) {
        errno = ENOSPC;
        return -1;
    }
    unsigned long long left = limit - written;
    return (ssize_t)(count < left ? count : left);
}

/* The next definition of the function name (libc's), into *fn: a
 * function pointer copied from dlsym()'s object pointer. */
static void real(const char *name, void *fn, size_t size)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f || size != sizeof f)
        abort();
    memcpy(fn, &f, size);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    static ssize_t (*next)(int, const void *, size_t);
    if (!next)
        real("write", &next, sizeof next);
    if (!watched(fd))
        return next(fd, buf, count);
    ssize_t fits = room(count);
    if (fits < 0)
        return -1;
    ssize_t r = next(fd, buf, (size_t)fits);
    if (r > 0)
        written += (unsigned long long)r;
    return r;
}

static ssize_t limited_pwrite(ssize_t (*next)(int, const void *, size_t, off_t), int fd,
                              const void *buf, size_t count, off_t offset)
{
    if (!watched(fd))
        return next(fd, buf, count, offset);
    ssize_t fits = room(count);
    if (fits < 0)
        return -1;
    ssize_t r = next(fd, buf, (size_t)fits, offset);
    if (r > 0)
        written += (unsigned long long)r;
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
    static ssize_t (*next)(int, const void *, size_t, off_t);
    if (!next)
        real("pwrite", &next, sizeof next);
    return limited_pwrite(next, fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset)
{
    static ssize_t (*next)(int, const void *, size_t, off_t);
    if (!next)
        real("pwrite64", &next, sizeof next);
    return limited_pwrite(next, fd, buf, count, offset);
}

/* The leading part of iov[0..n) that holds at most max bytes, in out
 * (which has room for n entries); its number of entries. */
static int cut_iov(const struct iovec *iov, int n, size_t max, struct iovec *out)
{
    int k = 0;
    for (int i = 0; i < n && max > 0; i++, k++) {
        out[k] = iov[i];
        if (out[k].iov_len > max)
            out[k].iov_len = max;
        max -= out[k].iov_len;
    }
    return k;
}

static size_t iov_total(const struct iovec *iov, int n)
{
    size_t t = 0;
    for (int i = 0; i < n; i++)
        t += iov[i].iov_len;
    return t;
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    static ssize_t (*next)(int, const struct iovec *, int);
    if (!next)
        real("writev", &next, sizeof next);
    if (!watched(fd) || iovcnt <= 0 || iovcnt > 1024)
        return next(fd, iov, iovcnt);
    ssize_t fits = room(iov_total(iov, iovcnt));
    if (fits < 0)
        return -1;
    struct iovec cut[1024];
    ssize_t r = next(fd, cut, cut_iov(iov, iovcnt, (size_t)fits, cut));
    if (r > 0)
        written += (unsigned long long)r;
    return r;
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
    static ssize_t (*next)(int, const struct iovec *, int, off_t);
    if (!next)
        real("pwritev", &next, sizeof next);
    if (!watched(fd) || iovcnt <= 0 || iovcnt > 1024)
        return next(fd, iov, iovcnt, offset);
    ssize_t fits = room(iov_total(iov, iovcnt));
    if (fits < 0)
        return -1;
    struct iovec cut[1024];
    ssize_t r = next(fd, cut, cut_iov(iov, iovcnt, (size_t)fits, cut), offset);
    if (r > 0)
        written += (unsigned long long)r;
    return r;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("OASIS_ENOSPC_REPORT");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%llu\n", written);
        fclose(f);
    }
}
