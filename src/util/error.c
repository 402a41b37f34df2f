#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "oasis.h"

static _Thread_local char last_message[512];

int oa_error(int code, const char *fmt, ...)
{
    /* Formatted apart first: the arguments may include the last message
     * itself, when a caller adds context to it. */
    char msg[sizeof last_message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_message, msg, sizeof msg);
    return code;
}

void oa_error_clear(void)
{
    last_message[0] = '\0';
}

const char *oa_error_message(void)
{
    return last_message;
}

const char *oasis_error_last(void)
{
    return last_message;
}
