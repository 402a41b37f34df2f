/* Every request: only GET and HEAD, a bounded URL, its arguments read,
 * routed to the page or the API, answered with the security headers, and
 * logged in one line on stderr. */
#define _POSIX_C_SOURCE 200809L
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "api.h"
#include "gzip.h"
#include "page.h"
#include "request.h"
#include "searchers.h"

#define MAX_URL 4096 /* bytes of the request target, path and arguments */

/* Headers every reply carries: no inline script, no framing, no sniffing,
 * no referrer leaving the site. */
static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
};

struct http_server {
    struct MHD_Daemon *d;
    http_log log;
};

/* What a request keeps between the calls of the access handler. */
typedef struct req_state {
    struct timespec start;
    size_t uri_len;
} req_state;

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    req_state *st = calloc(1, sizeof *st);
    if (st) {
        clock_gettime(CLOCK_MONOTONIC, &st->start);
        st->uri_len = strlen(uri);
    }
    return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    free(*con_cls);
    *con_cls = NULL;
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    (void)kind;
    return srv_params_add(cls, key, value) == 0 ? MHD_YES : MHD_NO;
}

/* The method and path as a JSON string's content (quotes, backslashes and
 * control bytes escaped), for the log. */
static void log_escape(char *dst, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            n += (size_t)snprintf(dst + n, cap - n, "\\%c", ch);
        else if (ch < 0x20 || ch == 0x7f)
            n += (size_t)snprintf(dst + n, cap - n, "\\u%04x", ch);
        else
            dst[n++] = (char)ch;
    }
    dst[n] = '\0';
}

static void log_request(http_log log, const char *method, const char *path, unsigned status,
                        size_t bytes, double ms)
{
    if (log == HTTP_LOG_NONE)
        return;
    char m[64], p[1024];
    log_escape(m, sizeof m, method);
    log_escape(p, sizeof p, path);
    if (log == HTTP_LOG_JSON)
        fprintf(stderr,
                "{\"method\":\"%s\",\"path\":\"%s\",\"status\":%u,\"bytes\":%zu,\"ms\":%.3f}\n", m,
                p, status, bytes, ms);
    else
        fprintf(stderr, "%s %s %u %zu %.3fms\n", m, p, status, bytes, ms);
}

/* The reply for one request, by route. */
static void route(const char *method, const char *url, struct MHD_Connection *c,
                  const req_state *st, srv_reply *out)
{
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        srv_reply_error(out, 405, "method not allowed: only GET and HEAD");
        srv_reply_header(out, "Allow", "GET, HEAD");
        return;
    }
    if (!st || st->uri_len > MAX_URL) {
        srv_reply_error(out, 414, "URL too long");
        return;
    }
    srv_params p = {0};
    if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &p) < 0 ||
        p.n != (size_t)MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL)) {
        srv_params_free(&p);
        srv_reply_error(out, 500, "out of memory");
        return;
    }
    oasis_searcher *s = searchers_get();
    if (!page_respond(s, url, &p, out) && !api_respond(s, url, &p, out))
        srv_reply_error(out, 404, "not found");
    srv_params_free(&p);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload_data;
    (void)upload_size;
    struct http_server *h = cls;
    req_state *st = *con_cls;
    srv_reply out = {0};
    route(method, url, c, st, &out);
    if (!out.body)
        srv_reply_error(&out, 500, "out of memory");
    /* Text goes compressed to the clients that take gzip; caches are told
     * that the answer depends on it. */
    int vary = gz_compressible(out.content_type);
    int gzipped = vary &&
                  gz_accepted(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                          MHD_HTTP_HEADER_ACCEPT_ENCODING)) &&
                  gz_compress_reply(&out);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        out.len, out.body ? out.body : (char *)"", MHD_RESPMEM_MUST_COPY);
    enum MHD_Result ok = MHD_NO;
    if (resp) {
        if (out.content_type)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out.content_type);
        for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers; i++)
            MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
        for (size_t i = 0; i < out.n_headers; i++)
            MHD_add_response_header(resp, out.headers[i].name, out.headers[i].value);
        if (vary)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT_ENCODING);
        if (gzipped)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        ok = MHD_queue_response(c, out.status ? out.status : 500, resp);
        MHD_destroy_response(resp);
    }
    if (st)
        log_request(h->log, method, url, out.status, out.len, ms_since(&st->start));
    srv_reply_free(&out);
    return ok;
}

struct http_server *http_start(const http_config *c)
{
    struct http_server *h = calloc(1, sizeof *h);
    if (!h) {
        fprintf(stderr, "oasis-serve: out of memory\n");
        return NULL;
    }
    h->log = c->log;
    struct sockaddr_storage addr;
    memset(&addr, 0, sizeof addr);
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
    if (inet_pton(AF_INET, c->host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((unsigned short)c->port);
    } else if (inet_pton(AF_INET6, c->host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((unsigned short)c->port);
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "oasis-serve: '%s' is not a numeric IPv4 or IPv6 address\n", c->host);
        free(h);
        return NULL;
    }
    h->d = MHD_start_daemon(
        flags, (unsigned short)c->port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, c->threads,
        MHD_OPTION_CONNECTION_LIMIT, c->connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        c->per_ip, MHD_OPTION_CONNECTION_TIMEOUT, c->timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!h->d) {
        fprintf(stderr, "oasis-serve: cannot listen on %s port %u\n", c->host, c->port);
        free(h);
        return NULL;
    }
    return h;
}

unsigned http_port(const struct http_server *h)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void http_stop(struct http_server *h)
{
    if (!h)
        return;
    MHD_stop_daemon(h->d);
    free(h);
}
