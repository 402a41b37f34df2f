#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "oasis.h"

static _Thread_local char last_message[512];

int oa_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
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
