/* oasis-serve's HTTP side: the libmicrohttpd daemon, what every request
 * goes through (method, size limits, arguments, security headers, the log
 * line) and the routing to the page and the API. */
#ifndef OASIS_SERVE_HTTP_H
#define OASIS_SERVE_HTTP_H

typedef enum { HTTP_LOG_TEXT, HTTP_LOG_JSON, HTTP_LOG_NONE } http_log;

typedef struct http_config {
    const char *host;      /* numeric IPv4 or IPv6 address to listen on */
    unsigned port;         /* 0: any free port (see http_port()) */
    unsigned threads;      /* worker threads, each with its searcher */
    unsigned connections;  /* connections at most, in all */
    unsigned per_ip;       /* connections at most from one address */
    unsigned timeout;      /* seconds an idle connection is kept */
    http_log log;
} http_config;

struct http_server;

/* Starts listening. NULL (with a message on stderr) on failure. */
struct http_server *http_start(const http_config *c);

/* The port listened on. */
unsigned http_port(const struct http_server *h);

/* Stops the daemon (its threads joined) and frees h. NULL is accepted. */
void http_stop(struct http_server *h);

#endif
