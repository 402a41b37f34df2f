/* oasis-serve for real: a server on a free loopback port, asked over HTTP
 * by a socket client. Every endpoint, the errors and their statuses, the
 * security headers, JSON escaping, a filtered search equal to
 * oasis-query --json, a run of oasis-index while it serves, an index that
 * appears while it serves, connection limits, SIGTERM. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "clitest.h"
#include "servetest.h"

static char *dir;
static char db[1024], corpus[1024];
static const char *index_bin, *query_bin, *serve_bin;

/* An initiative whose strings need escaping in JSON and in HTML. */
static const char hostile_jsonl[] =
    "{\"id\":\"xss-1\",\"title\":\"<script>alert(1)</script> \\\"guillemets\\\" \\\\ "
    "tab\\tend\",\"text\":\"\\\"><img src=x onerror=alert(2)> maison de santé \\u00e9\\u2028 "
    "fin\\u0001\",\"departements\":[\"45\"],\"categories\":[\"logement\"]}\n";

static int setup(void **state)
{
    (void)state;
    dir = ct_setup(&index_bin, &query_bin);
    serve_bin = t_env("OASIS_SERVE_BIN");
    snprintf(db, sizeof db, "%s/oasis.db", dir);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    return ct_index_corpus_plus(index_bin, db, corpus, "hostile.jsonl", hostile_jsonl);
}

/* The servers started and not yet stopped: a failed test leaves its
 * server running, which the teardown stops. */
static pid_t running[16];

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] > 0) {
            kill(running[i], SIGKILL);
            waitpid(running[i], NULL, 0);
        }
    t_rmtree(dir);
    free(dir);
    return 0;
}

static st_server start(const char *index, const char *log_name, const char *const *extra)
{
    char log[1200];
    snprintf(log, sizeof log, "%s/%s", dir, log_name);
    st_server s = st_start(serve_bin, index, log, extra);
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] <= 0) {
            running[i] = s.pid;
            break;
        }
    return s;
}

/* Stops s; it must exit 0 after saying so. */
static void stop(st_server *s)
{
    int status = st_stop(s);
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] == s->pid)
            running[i] = 0;
    assert_int_equal(status, 0);
    char *log = t_read_file(s->log, NULL);
    assert_non_null(strstr(log, "oasis-serve: stopping (SIGTERM)"));
    free(log);
}

/* The body of r as JSON (caller decrefs); fails the test when it is not. */
static json_t *body_json(const st_reply *r)
{
    json_error_t e;
    json_t *o = json_loadb(r->body, r->body_len, 0, &e);
    if (!o)
        fail_msg("not JSON (%s): %s", e.text, r->body);
    return o;
}

/* GET target: the status must be status; returns the body as JSON. */
static json_t *get_json(const st_server *s, const char *target, int status)
{
    st_reply r = st_get(s->port, target);
    if (r.status != status)
        fail_msg("GET %s: status %d, not %d: %s", target, r.status, status, r.body);
    char type[256];
    assert_non_null(st_header(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "application/json; charset=utf-8");
    json_t *o = body_json(&r);
    st_reply_free(&r);
    return o;
}

/* An error reply: the status, and {"error": "..."} holding words. */
static void expect_error(const st_server *s, const char *method, const char *target, int status,
                         const char *words)
{
    st_reply r = st_request(s->port, method, target);
    if (r.status != status)
        fail_msg("%s %.80s: status %d, not %d: %s", method, target, r.status, status, r.body);
    json_t *o = body_json(&r);
    const char *msg = json_string_value(json_object_get(o, "error"));
    assert_non_null(msg);
    assert_int_equal(json_object_size(o), 1);
    if (words && !strstr(msg, words))
        fail_msg("%s %.80s: error '%s' does not say '%s'", method, target, msg, words);
    json_decref(o);
    st_reply_free(&r);
}

/* Every reply, whatever its status, carries the security headers. */
static void expect_security_headers(const st_reply *r)
{
    char v[1024];
    assert_non_null(st_header(r, "Content-Security-Policy", v, sizeof v));
    assert_non_null(strstr(v, "default-src 'self'"));
    assert_non_null(strstr(v, "script-src 'self'"));
    assert_null(strstr(v, "unsafe-inline"));
    assert_non_null(strstr(v, "frame-ancestors 'none'"));
    assert_non_null(st_header(r, "X-Content-Type-Options", v, sizeof v));
    assert_string_equal(v, "nosniff");
    assert_non_null(st_header(r, "Referrer-Policy", v, sizeof v));
    assert_non_null(st_header(r, "X-Frame-Options", v, sizeof v));
    assert_string_equal(v, "DENY");
}

/* GET target with the header Accept-Encoding: accept (none when NULL). */
static st_reply get_encoded(unsigned port, const char *target, const char *accept)
{
    char req[1024];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%sConnection: close\r\n\r\n",
                     target, accept ? "Accept-Encoding: " : "", accept ? accept : "",
                     accept ? "\r\n" : "");
    return st_send(port, req, (size_t)n);
}

/* The gzip data of r's body, inflated; its length in *len. */
static char *gunzip(const st_reply *r, size_t *len)
{
    size_t cap = 1 << 22;
    char *out = malloc(cap);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (unsigned char *)r->body;
    z.avail_in = (uInt)r->body_len;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)cap;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    *len = z.total_out;
    inflateEnd(&z);
    return out;
}

/* Text goes gzip-compressed to a client that takes it, the same bytes
 * once inflated; as it is to one that does not (or refuses it with
 * q=0), and small replies as they are; each text reply says it varies by
 * Accept-Encoding. */
static void test_gzip(void **state)
{
    (void)state;
    st_server s = start(db, "gzip.log", NULL);
    assert_true(st_wait_health(&s, 200));
    static const char *const targets[] = {"/?q=logement", "/api/search?q=logement&limit=20",
                                          "/assets/style.css"};
    static const char *const takes[] = {"gzip", "deflate, gzip;q=0.5", "*", "GZIP ; q=1"};
    static const char *const refuses[] = {NULL,      "identity",    "gzip;q=0",  "deflate",
                                           "x-gzip2", "gzip;q=0, *", "gzip;\tq=0"};
    char buf[256];
    for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
        st_reply plain = get_encoded(s.port, targets[t], NULL);
        assert_int_equal(plain.status, 200);
        assert_true(plain.body_len >= 1024);
        for (size_t i = 0; i < sizeof takes / sizeof *takes; i++) {
            st_reply r = get_encoded(s.port, targets[t], takes[i]);
            assert_int_equal(r.status, 200);
            const char *enc = st_header(&r, "Content-Encoding", buf, sizeof buf);
            if (!enc || strcmp(enc, "gzip"))
                fail_msg("%s with Accept-Encoding '%s': Content-Encoding %s", targets[t],
                         takes[i], enc ? enc : "(none)");
            assert_string_equal(st_header(&r, "Vary", buf, sizeof buf), "Accept-Encoding");
            assert_true(r.body_len < plain.body_len / 2);
            size_t len;
            char *text = gunzip(&r, &len);
            /* The page and the API answer the same search the same way:
             * the same length, and the same start. */
            assert_int_equal(len, plain.body_len);
            assert_memory_equal(text, plain.body, 64);
            free(text);
            st_reply_free(&r);
        }
        for (size_t i = 0; i < sizeof refuses / sizeof *refuses; i++) {
            st_reply r = get_encoded(s.port, targets[t], refuses[i]);
            if (st_header(&r, "Content-Encoding", buf, sizeof buf))
                fail_msg("%s with Accept-Encoding '%s': Content-Encoding %s", targets[t],
                         refuses[i] ? refuses[i] : "(none)", buf);
            assert_int_equal(r.body_len, plain.body_len);
            assert_string_equal(st_header(&r, "Vary", buf, sizeof buf), "Accept-Encoding");
            st_reply_free(&r);
        }
        st_reply_free(&plain);
    }
    /* Under GZ_MIN_BYTES: as it is. */
    st_reply r = get_encoded(s.port, "/healthz", "gzip");
    assert_int_equal(r.status, 200);
    assert_null(st_header(&r, "Content-Encoding", buf, sizeof buf));
    st_reply_free(&r);
    stop(&s);
}

static void test_health_headers_log(void **state)
{
    (void)state;
    st_server s = start(db, "health.log", NULL);
    assert_true(st_wait_health(&s, 200));
    json_t *h = get_json(&s, "/healthz", 200);
    assert_string_equal(json_string_value(json_object_get(h, "status")), "ok");
    assert_int_equal(json_integer_value(json_object_get(h, "initiatives")), ct_doc_count(db));
    json_decref(h);
    static const char *const targets[][2] = {
        {"GET", "/healthz"},        {"GET", "/api/search?q=sant%C3%A9"},
        {"GET", "/api/nothing"},    {"GET", "/api/search?limit=1000"},
        {"POST", "/api/search"},    {"GET", "/no/such/path"},
        {"HEAD", "/api/facets"},
    };
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        st_reply r = st_request(s.port, targets[i][0], targets[i][1]);
        assert_true(r.status >= 200);
        expect_security_headers(&r);
        st_reply_free(&r);
    }
    /* HEAD: the headers of GET, no body. */
    st_reply r = st_request(s.port, "HEAD", "/healthz");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    st_reply_free(&r);
    stop(&s);
    /* One line per request: method, path, status, bytes, time. */
    char *log = t_read_file(s.log, NULL);
    assert_non_null(strstr(log, "GET /healthz 200 "));
    assert_non_null(strstr(log, "POST /api/search 405 "));
    assert_non_null(strstr(log, "GET /api/nothing 404 "));
    free(log);
}

static void test_log_json(void **state)
{
    (void)state;
    const char *const extra[] = {"--log", "json", NULL};
    st_server s = start(db, "json.log", extra);
    assert_true(st_wait_health(&s, 200));
    json_decref(get_json(&s, "/api/search?q=%22quoted%22", 200));
    stop(&s);
    char *log = t_read_file(s.log, NULL);
    size_t lines = 0;
    for (char *p = log; (p = strstr(p, "\n{")) != NULL; p++) {
        json_error_t e;
        json_t *o = json_loadb(p + 1, strcspn(p + 1, "\n"), 0, &e);
        assert_non_null(o);
        assert_string_equal(json_string_value(json_object_get(o, "method")), "GET");
        assert_true(json_is_integer(json_object_get(o, "status")));
        assert_true(json_is_integer(json_object_get(o, "bytes")));
        assert_true(json_is_number(json_object_get(o, "ms")));
        json_decref(o);
        lines++;
    }
    assert_true(lines >= 2);
    free(log);
}

/* oasis-query --json with args (NULL-terminated): its lines. */
static json_t *query_lines(const char *first, ...)
{
    char *argv[64] = {(char *)query_bin, "--index", db, "--json", (char *)first};
    int n = 5;
    va_list ap;
    va_start(ap, first);
    ct_args(argv, n, 64, ap);
    va_end(ap);
    char *out = NULL, *err = NULL;
    int rc = t_run(argv, NULL, &out, &err);
    assert_true(rc == 0 || rc == 1);
    json_t *lines = ct_json_lines(out);
    free(out);
    free(err);
    return lines;
}

/* The API's search equals the hits and summary of oasis-query --json. */
static void expect_same(json_t *api, json_t *lines)
{
    size_t n = json_array_size(lines);
    json_t *hits = json_object_get(api, "hits");
    assert_int_equal(json_array_size(hits), n - 1);
    for (size_t i = 0; i + 1 < n; i++) {
        json_t *h = json_deep_copy(json_array_get(lines, i));
        json_object_del(h, "type");
        if (!json_equal(h, json_array_get(hits, i))) {
            char *a = json_dumps(h, 0), *b = json_dumps(json_array_get(hits, i), 0);
            fail_msg("hit %zu differs:\n%s\n%s", i, a, b);
        }
        json_decref(h);
    }
    json_t *sum = json_deep_copy(json_array_get(lines, n - 1));
    json_object_del(sum, "type");
    json_object_set(sum, "hits", hits);
    if (!json_equal(sum, api)) {
        char *a = json_dumps(sum, 0), *b = json_dumps(api, 0);
        fail_msg("summary differs:\n%s\n%s", a, b);
    }
    json_decref(sum);
}

static void test_search_equals_query(void **state)
{
    (void)state;
    st_server s = start(db, "search.log", NULL);
    assert_true(st_wait_health(&s, 200));
    json_t *api = get_json(&s,
                           "/api/search?q=logement+internes&dept=45&dept=Indre&dept=&region=24"
                           "&category=logement&category=etudiants&limit=5",
                           200);
    json_t *lines = query_lines("--dept", "45", "--dept", "Indre", "--region", "24", "--category",
                                "logement", "--category", "etudiants", "--limit", "5",
                                "logement internes", NULL);
    assert_true(json_array_size(json_object_get(api, "hits")) > 0);
    expect_same(api, lines);
    json_decref(api);
    json_decref(lines);
    /* A page further, a suggestion, a notice. */
    api = get_json(&s, "/api/search?q=maison+de+sant%C3%A9&limit=3&offset=2", 200);
    lines = query_lines("--limit", "3", "--offset", "2", "maison de santé", NULL);
    expect_same(api, lines);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(
                         json_object_get(api, "hits"), 0), "rank")), 3);
    json_decref(api);
    json_decref(lines);
    api = get_json(&s, "/api/search?q=logemnt", 200);
    lines = query_lines("logemnt", NULL);
    expect_same(api, lines);
    assert_non_null(json_object_get(api, "suggestion"));
    json_decref(api);
    json_decref(lines);
    api = get_json(&s, "/api/search?q=%22maison+de", 200);
    lines = query_lines("\"maison de", NULL);
    expect_same(api, lines);
    assert_non_null(json_object_get(api, "notice"));
    json_decref(api);
    json_decref(lines);
    stop(&s);
}

static void test_facets_similar_initiative_suggest(void **state)
{
    (void)state;
    st_server s = start(db, "endpoints.log", NULL);
    assert_true(st_wait_health(&s, 200));
    /* /api/facets: counts over the whole index (or the filters). */
    json_t *api = get_json(&s, "/api/facets?region=24", 200);
    json_t *lines = query_lines("--limit", "0", "--region", "24", NULL);
    json_object_set_new(api, "hits", json_array());
    expect_same(api, lines);
    json_decref(api);
    json_decref(lines);
    /* /similar equals oasis-query --like. */
    const char *id = "70-la-maison-des-stagiaires-du-bassin-vesulien";
    api = get_json(&s, "/api/initiatives/70-la-maison-des-stagiaires-du-bassin-vesulien/similar"
                       "?limit=3",
                   200);
    lines = query_lines("--no-facets", "--limit", "3", "--like", id, NULL);
    expect_same(api, lines);
    json_decref(api);
    json_decref(lines);
    /* One initiative: its full text and categories with their rule. */
    json_t *one = get_json(&s, "/api/initiatives/70-la-maison-des-stagiaires-du-bassin-vesulien",
                           200);
    oasis_searcher *sr = NULL;
    oasis_results *r = NULL;
    assert_int_equal(oasis_searcher_open(&sr, db), 0);
    assert_int_equal(oasis_searcher_get(sr, id, &r), 0);
    const oasis_hit *h = oasis_results_hit_at(r, 0);
    assert_string_equal(json_string_value(json_object_get(one, "text")), h->text);
    assert_string_equal(json_string_value(json_object_get(one, "title")), h->title);
    json_t *cats = json_object_get(one, "categories");
    assert_int_equal(json_array_size(cats), h->n_categories);
    size_t with_rule = 0;
    for (size_t i = 0; i < json_array_size(cats); i++) {
        json_t *c = json_array_get(cats, i);
        json_t *rule = json_object_get(c, "rule");
        assert_true(json_is_string(rule) || json_is_null(rule));
        assert_true(json_is_integer(json_object_get(c, "rule_line")));
        with_rule += json_is_string(rule);
    }
    assert_true(with_rule > 0); /* its categories come from the rules */
    oasis_results_free(r);
    oasis_searcher_free(sr);
    json_decref(one);
    /* The hostile record named its category: no rule. */
    one = get_json(&s, "/api/initiatives/xss-1", 200);
    json_t *c0 = json_array_get(json_object_get(one, "categories"), 0);
    assert_string_equal(json_string_value(json_object_get(c0, "slug")), "logement");
    json_decref(one);
    /* /api/suggest: places, categories and words as one types. */
    json_t *sg = get_json(&s, "/api/suggest?q=logement+loir", 200);
    json_t *comp = json_object_get(sg, "completions");
    int loiret = 0;
    for (size_t i = 0; i < json_array_size(comp); i++) {
        json_t *x = json_array_get(comp, i);
        if (!strcmp(json_string_value(json_object_get(x, "kind")), "departement") &&
            !strcmp(json_string_value(json_object_get(x, "value")), "45")) {
            assert_string_equal(json_string_value(json_object_get(x, "text")), "logement Loiret");
            loiret = 1;
        }
    }
    assert_true(loiret);
    json_decref(sg);
    sg = get_json(&s, "/api/suggest?q=vesou", 200);
    json_t *first = json_array_get(json_object_get(sg, "completions"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "kind")), "word");
    assert_string_equal(json_string_value(json_object_get(first, "text")), "vesoul");
    assert_true(json_integer_value(json_object_get(first, "count")) >= 1);
    json_decref(sg);
    sg = get_json(&s, "/api/suggest?q=", 200);
    assert_int_equal(json_array_size(json_object_get(sg, "completions")), 0);
    json_decref(sg);
    stop(&s);
}

/* Strings that JSON must escape come back as they were indexed. */
static void test_escaping(void **state)
{
    (void)state;
    st_server s = start(db, "escape.log", NULL);
    assert_true(st_wait_health(&s, 200));
    json_t *expect = json_loads(hostile_jsonl, 0, NULL);
    assert_non_null(expect);
    st_reply r = st_get(s.port, "/api/initiatives/xss-1");
    assert_int_equal(r.status, 200);
    for (size_t i = 0; i < r.body_len; i++)
        assert_true((unsigned char)r.body[i] >= 0x20); /* control bytes escaped */
    assert_null(strstr(r.body, "<script>alert(1)</script> \"")); /* the quote escaped */
    json_t *one = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(one, "title")),
                        json_string_value(json_object_get(expect, "title")));
    assert_string_equal(json_string_value(json_object_get(one, "text")),
                        json_string_value(json_object_get(expect, "text")));
    json_decref(one);
    st_reply_free(&r);
    /* In a search too, snippet included. */
    json_t *api = get_json(&s, "/api/search?q=onerror+guillemets", 200);
    json_t *hit = json_array_get(json_object_get(api, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "id")), "xss-1");
    assert_string_equal(json_string_value(json_object_get(hit, "title")),
                        json_string_value(json_object_get(expect, "title")));
    assert_non_null(strstr(json_string_value(json_object_get(hit, "snippet")), "\"><img"));
    json_decref(api);
    json_decref(expect);
    stop(&s);
}

static void test_errors(void **state)
{
    (void)state;
    st_server s = start(db, "errors.log", NULL);
    assert_true(st_wait_health(&s, 200));
    expect_error(&s, "GET", "/api/search?q=x&limit=101", 400, "limit");
    expect_error(&s, "GET", "/api/search?limit=-1", 400, "limit");
    expect_error(&s, "GET", "/api/search?limit=ten", 400, "limit");
    expect_error(&s, "GET", "/api/search?offset=99999999", 400, "offset");
    expect_error(&s, "GET", "/api/search?dept=99", 400, "unknown département '99'");
    expect_error(&s, "GET", "/api/search?dept=45&dept=Atlantide", 400, "Atlantide");
    expect_error(&s, "GET", "/api/search?region=Prusse", 400, "unknown région");
    expect_error(&s, "GET", "/api/search?category=nope", 400, "unknown category");
    expect_error(&s, "GET", "/api/search?q=dept:99", 400, NULL);
    expect_error(&s, "GET", "/api/search?q=%FF%FE", 400, "utf-8");
    expect_error(&s, "GET", "/api/facets?limit=3", 400, NULL);
    expect_error(&s, "GET", "/api/initiatives/nope", 404, "nope");
    expect_error(&s, "GET", "/api/initiatives/", 404, NULL);
    expect_error(&s, "GET", "/api/initiatives/nope/similar", 404, NULL);
    expect_error(&s, "GET", "/api/initiatives/xss-1/similar?q=x", 400, NULL);
    expect_error(&s, "GET", "/api/nothing", 404, NULL);
    expect_error(&s, "GET", "/api/suggest?limit=0", 400, "limit");
    expect_error(&s, "POST", "/api/search", 405, "GET");
    expect_error(&s, "DELETE", "/api/initiatives/xss-1", 405, NULL);
    expect_error(&s, "PUT", "/healthz", 405, NULL);
    st_reply r = st_request(s.port, "POST", "/healthz");
    char allow[64];
    assert_non_null(st_header(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "GET, HEAD");
    st_reply_free(&r);
    /* A query over 1024 bytes: 413; a URL over 4096 bytes: 414. */
    char *q = t_repeat("a", 1500, "");
    char target[8300];
    snprintf(target, sizeof target, "/api/search?q=%s", q);
    expect_error(&s, "GET", target, 413, "too long");
    snprintf(target, sizeof target, "/api/suggest?q=%s", q);
    expect_error(&s, "GET", target, 413, "too long");
    free(q);
    q = t_repeat("a", 5000, "");
    snprintf(target, sizeof target, "/api/search?x=%s", q);
    expect_error(&s, "GET", target, 414, "URL");
    free(q);
    /* Too many values of one filter. */
    char *many = t_repeat("dept=45&", 40, "q=x");
    snprintf(target, sizeof target, "/api/search?%s", many);
    expect_error(&s, "GET", target, 400, "too many");
    free(many);
    /* A request line that is not HTTP gets an answer or a closed
     * connection, and the server goes on. */
    st_reply bad = st_send(s.port, "GARBAGE\r\n\r\n", 11);
    st_reply_free(&bad);
    /* No path reaches the file system. */
    expect_error(&s, "GET", "/api/initiatives/..%2F..%2Fetc%2Fpasswd", 404, NULL);
    st_reply r2 = st_get(s.port, "/../../../etc/passwd");
    assert_true(r2.status == 404 || r2.status == 400);
    assert_null(strstr(r2.body, "root:"));
    st_reply_free(&r2);
    assert_true(st_wait_health(&s, 200));
    stop(&s);
}

/* An index that is not there: 503 until it is made, then served without
 * a restart. */
static void test_unavailable_then_indexed(void **state)
{
    (void)state;
    char late[4300];
    snprintf(late, sizeof late, "%s/late.db", dir);
    st_server s = start(late, "late.log", NULL);
    expect_error(&s, "GET", "/healthz", 503, "unavailable");
    expect_error(&s, "GET", "/api/search?q=logement", 503, NULL);
    expect_error(&s, "GET", "/api/initiatives/xss-1", 503, NULL);
    expect_error(&s, "GET", "/api/suggest?q=log", 503, NULL);
    assert_int_equal(ct_run(index_bin, NULL, NULL, "--index", late, corpus, NULL), 0);
    assert_true(st_wait_health(&s, 200));
    json_t *api = get_json(&s, "/api/search?q=logement", 200);
    assert_true(json_integer_value(json_object_get(api, "total")) > 0);
    json_decref(api);
    stop(&s);
}

/* oasis-index runs on the index while requests go on: every one answers
 * 200, and the new initiative is served once the run is over. */
static void test_reindex_while_serving(void **state)
{
    (void)state;
    char copy[4300], extra[4400];
    snprintf(copy, sizeof copy, "%s/live.db", dir);
    assert_int_equal(ct_run(index_bin, NULL, NULL, "--index", copy, corpus, NULL), 0);
    const char *const threads[] = {"--threads", "2", NULL};
    st_server s = start(copy, "live.log", threads);
    assert_true(st_wait_health(&s, 200));
    expect_error(&s, "GET", "/api/initiatives/live-1", 404, NULL);
    snprintf(extra, sizeof extra, "%s/live.jsonl", corpus);
    static const char live[] = "{\"id\":\"live-1\",\"title\":\"Maison de santé nouvelle\","
                               "\"text\":\"Un logement pour les internes.\","
                               "\"departements\":[\"70\"]}\n";
    ct_write(extra, live, strlen(live));
    size_t requests = 0;
    /* Twice: a run that adds a file, then one that reads everything again. */
    for (int run = 0; run < 2; run++) {
        char *argv[] = {(char *)index_bin, "--index", copy, run ? "--full" : corpus, corpus, NULL};
        if (!run)
            argv[4] = NULL;
        pid_t pid = ct_spawn(argv);
        int status = 0, done = 0;
        double start = t_now();
        for (int i = 0; i < 3000 && !done && t_now() - start < 60; i++) {
            static const char *const targets[] = {"/api/search?q=logement+internes&limit=5",
                                                  "/api/facets", "/healthz",
                                                  "/api/initiatives/xss-1"};
            st_reply r = st_get(s.port, targets[i % 4]);
            if (r.status != 200)
                fail_msg("during oasis-index: GET %s gave %d: %s", targets[i % 4], r.status,
                         r.body);
            st_reply_free(&r);
            requests++;
            done = waitpid(pid, &status, WNOHANG) == pid;
        }
        if (!done)
            waitpid(pid, &status, 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        json_t *one = get_json(&s, "/api/initiatives/live-1", 200);
        assert_string_equal(json_string_value(json_object_get(one, "title")),
                            "Maison de santé nouvelle");
        json_decref(one);
        json_t *h = get_json(&s, "/healthz", 200);
        assert_int_equal(json_integer_value(json_object_get(h, "initiatives")), ct_doc_count(copy));
        json_decref(h);
    }
    fprintf(stderr, "%zu requests during 2 runs of oasis-index\n", requests);
    assert_true(requests >= 2);
    unlink(extra);
    stop(&s);
}

/* A stub file naming two shards is served as one index, as oasis-query
 * reads it. */
static void test_sharded(void **state)
{
    (void)state;
    char a[1100], b[1100], stub[1100];
    snprintf(a, sizeof a, "%s/shard-a.db", dir);
    snprintf(b, sizeof b, "%s/shard-b.db", dir);
    snprintf(stub, sizeof stub, "%s/shards.stub", dir);
    assert_int_equal(ct_run(index_bin, NULL, NULL, "--index", a,
                            t_source_path("corpus/records-departements-initiatives.txt"), NULL),
                     0);
    assert_int_equal(ct_run(index_bin, NULL, NULL, "--index", b,
                            t_source_path("corpus/listing-departements-initiatives.txt"), NULL),
                     0);
    char text[2400];
    int n = snprintf(text, sizeof text, "auto %s\nauto %s\n", a, b);
    ct_write(stub, text, (size_t)n);
    st_server s = start(stub, "shards.log", NULL);
    assert_true(st_wait_health(&s, 200));
    json_t *h = get_json(&s, "/healthz", 200);
    assert_int_equal(json_integer_value(json_object_get(h, "initiatives")), ct_doc_count(stub));
    assert_true(ct_doc_count(stub) > ct_doc_count(a));
    json_decref(h);
    json_t *api = get_json(&s, "/api/search?q=sant%C3%A9+m%C3%A9decins&limit=4", 200);
    char *argv[] = {(char *)query_bin, "--index", stub, "--json", "--limit", "4",
                    "santé médecins", NULL};
    char *out = NULL, *err = NULL;
    assert_int_equal(t_run(argv, NULL, &out, &err), 0);
    json_t *lines = ct_json_lines(out);
    expect_same(api, lines);
    json_decref(lines);
    json_decref(api);
    free(out);
    free(err);
    stop(&s);
}

/* A connected socket to 127.0.0.1:port that sends nothing, or -1. */
static int idle_connection(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* 1 when the server has closed fd (a refused or timed-out connection). */
static int closed_by_server(int fd)
{
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Connections from one address are bounded (--per-ip), and an idle one is
 * closed (--timeout). Two servers: with a long timeout for the bound, so
 * that the idle connections held cannot go first, with a second's for the
 * idle one. The server counts a connection from its accept to its own
 * close, a little after the client's: one it refused because an earlier
 * one was still counted is opened again. */
static void test_limits(void **state)
{
    (void)state;
    const char *const bound[] = {"--per-ip", "2", "--timeout", "120", NULL};
    st_server s = start(db, "limits.log", bound);
    assert_true(st_wait_health(&s, 200));
    int held[2] = {-1, -1}, refused = 0;
    for (int i = 0; i < 500 && !refused; i++) {
        for (int k = 0; k < 2; k++)
            if (held[k] < 0 || closed_by_server(held[k])) {
                if (held[k] >= 0)
                    close(held[k]);
                held[k] = idle_connection(s.port);
                assert_true(held[k] >= 0);
            }
        t_sleep(0.02);
        /* Once the server holds both, a third connection is refused. */
        st_reply r = st_get(s.port, "/healthz");
        refused = r.status == 0 && !closed_by_server(held[0]) && !closed_by_server(held[1]);
        st_reply_free(&r);
    }
    assert_true(refused);
    close(held[0]);
    close(held[1]);
    assert_true(st_wait_health(&s, 200));
    stop(&s);

    /* An idle connection is closed by the server after about a second. */
    const char *const idle[] = {"--timeout", "1", NULL};
    s = start(db, "idle.log", idle);
    assert_true(st_wait_health(&s, 200));
    int c = idle_connection(s.port);
    assert_true(c >= 0);
    /* Under the default idle timeout (15 s): a --timeout ignored fails. */
    struct timeval tv = {10, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[16];
    assert_int_equal(recv(c, buf, sizeof buf, 0), 0);
    close(c);
    stop(&s);
}

static void test_arguments(void **state)
{
    (void)state;
    char *out = NULL, *err = NULL;
    assert_int_equal(ct_run(serve_bin, &out, &err, "--help", NULL), 0);
    assert_non_null(strstr(out, "--listen"));
    free(out);
    free(err);
    assert_int_equal(ct_run(serve_bin, &out, &err, "--version", NULL), 0);
    assert_non_null(strstr(out, oasis_version()));
    free(out);
    free(err);
    static const char *const bad[][2] = {
        {"--listen", "localhost"}, {"--listen", "127.0.0.1:99999"}, {"--listen", "nohost:80"},
        {"--threads", "0"},        {"--log", "xml"},                {"--timeout", "x"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(ct_run(serve_bin, &out, &err, "--index", db, bad[i][0], bad[i][1], NULL),
                         2);
        assert_true(strncmp(err, "oasis-serve: ", 13) == 0);
        free(out);
        free(err);
    }
}

/* --synonyms FILE: a group of its lines finds for every request what its
 * other member finds; a malformed line is a warning with file and line at
 * start; a file that cannot be read stops the server before it serves. */
static void test_synonyms_file(void **state)
{
    (void)state;
    char syn[1100];
    snprintf(syn, sizeof syn, "%s/extra-synonyms.tsv", dir);
    const char *text = "# test group\nzorglubs\tmaison des stagiaires\nnotab\n";
    ct_write(syn, text, strlen(text));
    json_t *before = NULL;
    {
        st_server s = start(db, "nosyn.log", NULL);
        assert_true(st_wait_health(&s, 200));
        before = get_json(&s, "/api/search?q=zorglubs", 200);
        stop(&s);
    }
    assert_int_equal(json_integer_value(json_object_get(before, "total")), 0);
    json_decref(before);
    const char *const extra[] = {"--synonyms", syn, NULL};
    st_server s = start(db, "syn.log", extra);
    assert_true(st_wait_health(&s, 200));
    json_t *after = get_json(&s, "/api/search?q=zorglubs", 200);
    assert_true(json_integer_value(json_object_get(after, "total")) > 0);
    json_decref(after);
    stop(&s);
    char *log = t_read_file(s.log, NULL);
    assert_non_null(strstr(log, "extra-synonyms.tsv:3: warning:"));
    free(log);
    char missing[1100], *out = NULL, *err = NULL;
    snprintf(missing, sizeof missing, "%s/no-such-synonyms.tsv", dir);
    assert_int_equal(ct_run(serve_bin, &out, &err, "--index", db, "--listen", "127.0.0.1:0",
                            "--synonyms", missing, NULL),
                     2);
    assert_non_null(strstr(err, "no-such-synonyms.tsv"));
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_headers_log),
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_log_json),
        cmocka_unit_test(test_search_equals_query),
        cmocka_unit_test(test_facets_similar_initiative_suggest),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_unavailable_then_indexed),
        cmocka_unit_test(test_reindex_while_serving),
        cmocka_unit_test(test_sharded),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_synonyms_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
