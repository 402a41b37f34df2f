/* Internal side of oasis_writer, for the other parts of the index module. */
#ifndef OASIS_INDEX_WRITER_H
#define OASIS_INDEX_WRITER_H

#include <stddef.h>

#include "oasis.h"
#include "util/buf.h"

/* Reports a warning through the writer's callback, and counts it. */
void oa_writer_warn(oasis_writer *w, const char *file, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The writer's database, for the parts of the index module that keep
 * their own records in it (sources). Borrowed for the writer's life. */
struct xapc_wdb *oa_writer_db(oasis_writer *w);

/* The boolean term that marks every document of one source file: "XS" and
 * the path as given, or "XS#" and a hash of it when the path is too long
 * for a Xapian term. */
int oa_source_term(const char *source_file, oa_buf *out);

/* Warnings reported so far by this writer. */
size_t oa_writer_warnings(const oasis_writer *w);

#endif
