/* Errors of Xapian that are not damage: a stub database file naming a
 * remote server that does not answer (NetworkError) or a database that
 * does not exist, a backend this libxapian lacks (FeatureUnavailableError),
 * a database format it does not read (DatabaseVersionError), a file that
 * is no index. oasis-query and oasis-index exit 2 with one line naming the
 * index and what happened, and never say the index is damaged or to build
 * it again; damage still does (tests/test_corrupt.c has more of it). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "clitest.h"
#include "xapian/xapc.h"

typedef struct fixture {
    char *dir;
    char pristine[4200];
    const char *index_bin, *query_bin;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ct_setup(&f->index_bin, &f->query_bin);
    snprintf(f->pristine, sizeof f->pristine, "%s/pristine.db", f->dir);
    ct_index_corpus(f->index_bin, f->pristine);
    *state = f;
    return 0;
}

/* What a program said of the index db: exit 2, one line of its own
 * holding each of the NULL-terminated wants, and no word of damage. */
static void check_error(const char *prog, int status, const char *err, const char *db,
                        const char *what, ...)
{
    if (status != 2)
        fail_msg("%s: %s exited %d, not 2:\n%s", what, prog, status, err);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", prog);
    const char *nl = strchr(err, '\n');
    if (strncmp(err, prefix, strlen(prefix)) || !nl || nl[1] != '\0')
        fail_msg("%s: %s did not say one line of its own:\n%s", what, prog, err);
    if (!strstr(err, db))
        fail_msg("%s: %s does not name the index %s:\n%s", what, prog, db, err);
    if (strstr(err, "damaged") || strstr(err, "index again") || strstr(err, "rebuild") ||
        strstr(err, "build one"))
        fail_msg("%s: %s says to rebuild an index that is not damaged:\n%s", what, prog, err);
    va_list ap;
    va_start(ap, what);
    const char *want;
    while ((want = va_arg(ap, const char *)) != NULL)
        if (!strstr(err, want))
            fail_msg("%s: %s does not say '%s':\n%s", what, prog, want, err);
    va_end(ap);
}

static int run_query(fixture *f, const char *db, char **err)
{
    return ct_run(f->query_bin, NULL, err, "--index", db, "santé", NULL);
}

static int run_index(fixture *f, const char *db, char **err)
{
    return ct_run(f->index_bin, NULL, err, "--index", db,
                  t_source_path("tests/data/bad/crlf.jsonl"), NULL);
}

/* Writes a stub database file at dir/name holding text; its path in out. */
static void stub(fixture *f, const char *name, const char *text, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", f->dir, name);
    ct_write(out, text, strlen(text));
}

/* A loopback TCP port nobody listens on while the socket returned is open
 * (bound, not listening: a connection is refused). */
static int closed_port(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_remote_unreachable(void **state)
{
    fixture *f = *state;
    int port, fd = closed_port(&port);
    char text[64], db[4300], *err;
    int st;
    snprintf(text, sizeof text, "remote 127.0.0.1:%d\n", port);
    stub(f, "remote.stub", text, db, sizeof db);
    st = run_query(f, db, &err);
    check_error("oasis-query", st, err, db, "remote stub",
                "remote database cannot be reached", "NetworkError", "Connection refused", NULL);
    free(err);
    st = run_index(f, db, &err);
    check_error("oasis-index", st, err, db, "remote stub",
                "remote database cannot be reached", "NetworkError", "Connection refused", NULL);
    free(err);
    /* Through the library: its own code. */
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), OASIS_ENETWORK);
    oasis_writer *w;
    assert_int_equal(oasis_writer_open(&w, db, NULL), OASIS_ENETWORK);
    close(fd);
}

static void test_missing_shard(void **state)
{
    fixture *f = *state;
    char text[8600], db[4300], missing[4300], *err;
    int st;
    snprintf(missing, sizeof missing, "%s/no-such-shard.db", f->dir);
    /* One shard there, one missing. */
    snprintf(text, sizeof text, "auto %s\nauto %s\n", f->pristine, missing);
    stub(f, "shards.stub", text, db, sizeof db);
    st = run_query(f, db, &err);
    check_error("oasis-query", st, err, db, "missing shard",
                "a database its stub file names does not exist", missing, NULL);
    free(err);
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), OASIS_ENOTFOUND);
    /* The stub itself missing is no index, as before. */
    snprintf(db, sizeof db, "%s/no-such.stub", f->dir);
    assert_int_equal(run_query(f, db, &err), 2);
    assert_non_null(strstr(err, "no index at"));
    free(err);
}

/* oasis-index writes through a stub naming one local database, creating
 * it when missing; oasis-query reads it through the stub. The stub stays a
 * file (the index is not compacted in its place). */
static void test_write_through_stub(void **state)
{
    fixture *f = *state;
    char text[4400], db[4300], shard[4300], *err;
    snprintf(shard, sizeof shard, "%s/shard.db", f->dir);
    snprintf(text, sizeof text, "auto %s\n", shard);
    stub(f, "one.stub", text, db, sizeof db);
    assert_int_equal(run_index(f, db, &err), 0);
    free(err);
    assert_int_equal(xapc_is_stub(db), 1);
    assert_int_equal(ct_doc_count(db), 2);
    assert_int_equal(ct_doc_count(shard), 2);
    char *out;
    assert_int_equal(ct_run(f->query_bin, &out, &err, "--index", db, "santé", NULL), 0);
    free(out);
    free(err);
    /* Compacting it is refused, and said. */
    assert_int_equal(ct_run(f->index_bin, NULL, &err, "--index", db, "--compact", "--full",
                            t_source_path("tests/data/bad/crlf.jsonl"), NULL),
                     0);
    assert_non_null(strstr(err, "not compacted"));
    assert_non_null(strstr(err, "stub file"));
    free(err);
    assert_int_equal(xapc_is_stub(db), 1);
    assert_int_equal(ct_doc_count(db), 2);
}

/* A backend this libxapian was built without: flint, Xapian 1.2's. */
static void test_unsupported_backend(void **state)
{
    fixture *f = *state;
    char text[4400], db[4300], *err;
    int st;
    snprintf(text, sizeof text, "flint %s/old.db\n", f->dir);
    stub(f, "flint.stub", text, db, sizeof db);
    st = run_query(f, db, &err);
    check_error("oasis-query", st, err, db, "flint stub",
                "not supported by this libxapian", "FeatureUnavailableError", NULL);
    free(err);
    st = run_index(f, db, &err);
    check_error("oasis-index", st, err, db, "flint stub",
                "not supported by this libxapian", "FeatureUnavailableError", NULL);
    free(err);
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), OASIS_EUNSUPPORTED);
}

/* The glass format version in the version file changed: a database of
 * another Xapian release. */
static void test_format_version(void **state)
{
    fixture *f = *state;
    char db[4300], file[4400], *err;
    int st;
    snprintf(db, sizeof db, "%s/future.db", f->dir);
    assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->pristine, db, NULL), 0);
    snprintf(file, sizeof file, "%s/iamglass", db);
    size_t len;
    char *v = t_read_file(file, &len);
    /* "\x0f\x0dXapian Glass" then the format version, two bytes. */
    assert_true(len > 16 && memcmp(v + 2, "Xapian Glass", 12) == 0);
    v[15] = (char)(v[15] + 1);
    ct_write(file, v, len);
    free(v);
    st = run_query(f, db, &err);
    check_error("oasis-query", st, err, db, "format version",
                "database format this libxapian does not read", "DatabaseVersionError", NULL);
    free(err);
    st = run_index(f, db, &err);
    check_error("oasis-index", st, err, db, "format version",
                "database format this libxapian does not read", "DatabaseVersionError", NULL);
    free(err);
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), OASIS_EVERSION);
}

/* A text file that is neither an index nor a stub. */
static void test_not_a_stub(void **state)
{
    fixture *f = *state;
    char db[4300], *err;
    int st;
    stub(f, "notes.txt", "des notes, pas un index\n", db, sizeof db);
    st = run_query(f, db, &err);
    check_error("oasis-query", st, err, db, "plain file",
                "cannot be opened", NULL);
    free(err);
    st = run_index(f, db, &err);
    check_error("oasis-index", st, err, db, "plain file",
                "cannot be opened", NULL);
    free(err);
}

/* Damage still says so, and what to do. */
static void test_damage_says_so(void **state)
{
    fixture *f = *state;
    char db[4300], file[4400], *err;
    snprintf(db, sizeof db, "%s/cut.db", f->dir);
    assert_int_equal(ct_run("/bin/cp", NULL, NULL, "-r", f->pristine, db, NULL), 0);
    snprintf(file, sizeof file, "%s/postlist.glass", db);
    assert_int_equal(truncate(file, 0), 0);
    assert_int_equal(run_query(f, db, &err), 2);
    assert_non_null(strstr(err, "is damaged: remove it and index again"));
    free(err);
    assert_int_equal(run_index(f, db, &err), 2);
    assert_non_null(strstr(err, "is damaged: remove it and index again"));
    free(err);
    oasis_searcher *s;
    assert_int_equal(oasis_searcher_open(&s, db), OASIS_ECORRUPT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_unreachable),
        cmocka_unit_test(test_missing_shard),
        cmocka_unit_test(test_write_through_stub),
        cmocka_unit_test(test_unsupported_backend),
        cmocka_unit_test(test_format_version),
        cmocka_unit_test(test_not_a_stub),
        cmocka_unit_test(test_damage_says_so),
    };
    return cmocka_run_group_tests_name("engine_errors", tests, setup, t_dir_teardown);
}
