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

/* Makes sure the changes that follow go into the current batch, committed
 * by the next oasis_writer_commit(). Call before any change made without
 * oasis_writer_add() (deletions, source records). */
int oa_writer_begin(oasis_writer *w);

/* The writer's source records (index/sync.h). */
struct oa_sync *oa_writer_sync(oasis_writer *w);

/* Warnings reported so far by this writer. */
size_t oa_writer_warnings(const oasis_writer *w);

#endif
