/* Replies compressed with gzip for the clients that take it (RFC 9110
 * content codings): the page's HTML, its assets and the API's JSON are
 * text that shrinks several times. */
#ifndef OASIS_SERVE_GZIP_H
#define OASIS_SERVE_GZIP_H

#include "request.h"

/* 1 when the value of an Accept-Encoding header (NULL: none) takes gzip
 * with a weight above 0 (or, gzip not named, "*"), else 0. */
int gz_accepted(const char *accept_encoding);

/* 1 when a reply of this content type is worth compressing (text). */
int gz_compressible(const char *content_type);

/* Replaces r's body with its gzip form when r is compressible, at least
 * GZ_MIN_BYTES long, and the result is smaller; 1 when it did, 0 when r
 * is left as it was (also when out of memory). */
#define GZ_MIN_BYTES 1024
int gz_compress_reply(srv_reply *r);

#endif
