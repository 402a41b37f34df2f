/* Replication: the real xapian-replicate-server and xapian-replicate, on a
 * free port of 127.0.0.1, copy an oasis index whole the first time, then
 * an incremental oasis-index run ships as a changeset (the changesets the
 * writer keeps); with --changesets 0 none is kept and the next update is a
 * whole copy again. The replica holds what the master holds each time. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "clitest.h"
#include "testutil.h"
#include "xapian/xapc.h"

#define SERVER "/usr/bin/xapian-replicate-server"
#define CLIENT "/usr/bin/xapian-replicate"

/* A port of 127.0.0.1 free when asked (0 when none could be found). */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* One update of replica from the database "db" under master: a one-shot
 * server, and the client tried until it connects (at most 10 s). The
 * client's report (caller frees). */
static char *replicate(const char *master, const char *replica)
{
    char port[16];
    snprintf(port, sizeof port, "%d", free_port());
    assert_string_not_equal(port, "0");
    char *sargv[] = {SERVER, "-I", "127.0.0.1", "-p", port, "-o", (char *)master, NULL};
    pid_t server = ct_spawn(sargv);
    char *cargv[] = {CLIENT, "-h", "127.0.0.1", "-p", port, "-m", "db", "-o", "-v",
                     "-t", "10", "-r", "0", (char *)replica, NULL};
    char *out = NULL, *err = NULL;
    int status = -1;
    for (int i = 0; i < 100 && status != 0; i++) {
        free(out), free(err);
        out = err = NULL;
        status = t_run(cargv, NULL, &out, &err);
        if (status != 0)
            t_sleep(0.1);
    }
    kill(server, SIGTERM); /* gone already when it served its one client */
    ct_wait(server);
    if (status != 0)
        fail_msg("xapian-replicate exit %d: %s%s", status, out, err);
    size_t n = strlen(out) + strlen(err) + 1;
    char *report = malloc(n);
    snprintf(report, n, "%s%s", out, err);
    free(out), free(err);
    return report;
}

static char *dump(const char *path)
{
    xapc_db *db;
    if (xapc_db_open(&db, path) != 0)
        fail_msg("open %s: %s", path, oasis_error_last());
    char *text;
    size_t len;
    assert_int_equal(xapc_db_dump(db, &text, &len), 0);
    xapc_db_free(db);
    return text;
}

static void assert_replica(const char *db, const char *replica)
{
    char *a = dump(db), *b = dump(replica);
    char *diff = ct_dump_diff(a, b, "master", "replica");
    if (diff)
        fail_msg("%s", diff);
    free(a), free(b);
}

static void index_files(const char *bin, const char *db, const char *opt, const char *a,
                        const char *b)
{
    char *err = NULL;
    int st = opt ? ct_run(bin, NULL, &err, "-q", "-i", db, opt, a, b, NULL)
                 : ct_run(bin, NULL, &err, "-q", "-i", db, a, b, NULL);
    if (st != 0)
        fail_msg("oasis-index exit %d: %s", st, err);
    free(err);
}

static void test_changesets_replicate(void **state)
{
    (void)state;
    if (access(SERVER, X_OK) != 0 || access(CLIENT, X_OK) != 0) {
        print_message("xapian-tools is not installed: skipped\n");
        skip();
    }
    const char *index_bin;
    char *dir = ct_setup(&index_bin, NULL);
    char master[4200], db[4300], replica[4200], a[4200], b[4200];
    snprintf(master, sizeof master, "%s/master", dir);
    snprintf(db, sizeof db, "%s/db", master);
    snprintf(replica, sizeof replica, "%s/replica", dir);
    snprintf(a, sizeof a, "%s/a.jsonl", dir);
    snprintf(b, sizeof b, "%s/b.jsonl", dir);
    char *r = ct_records(1, 400);
    ct_write(a, r, strlen(r));
    free(r);
    r = ct_records(2, 5);
    ct_write(b, r, strlen(r));
    free(r);

    /* A new index (compacted, no changesets): copied whole. */
    index_files(index_bin, db, NULL, a, NULL);
    char *report = replicate(master, replica);
    assert_non_null(strstr(report, "1 copies, 0 changesets"));
    free(report);
    assert_replica(db, replica);

    /* A small incremental run: one changeset, no copy. */
    index_files(index_bin, db, NULL, a, b);
    report = replicate(master, replica);
    if (!strstr(report, "0 copies, 1 changesets"))
        fail_msg("not updated by a changeset: %s", report);
    free(report);
    assert_replica(db, replica);
    assert_int_equal(ct_doc_count(replica), 405);

    /* --changesets 0: nothing kept, the next update is a whole copy. */
    r = ct_records(2, 8);
    ct_write(b, r, strlen(r));
    free(r);
    index_files(index_bin, db, "--changesets=0", a, b);
    report = replicate(master, replica);
    if (!strstr(report, "1 copies, 0 changesets"))
        fail_msg("not copied whole without changesets: %s", report);
    free(report);
    assert_replica(db, replica);
    assert_int_equal(ct_doc_count(replica), 408);

    t_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changesets_replicate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
