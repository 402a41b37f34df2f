/* Internal side of oasis_writer, for the other parts of the index module. */
#ifndef OASIS_INDEX_WRITER_H
#define OASIS_INDEX_WRITER_H

#include <stddef.h>

#include "oasis.h"

/* Reports a warning through the writer's callback, and counts it. */
void oa_writer_warn(oasis_writer *w, const char *file, long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Warnings reported so far by this writer. */
size_t oa_writer_warnings(const oasis_writer *w);

#endif
