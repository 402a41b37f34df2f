/* Thread-local last error, shared by every module of liboasis. */
#ifndef OASIS_UTIL_ERROR_H
#define OASIS_UTIL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* Records a lower-case, one-line message for oasis_error_last() and returns
 * code unchanged, so callers can write `return oa_error(OASIS_EIO, ...)`. */
int oa_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Clears the last error (the message becomes ""). */
void oa_error_clear(void);

/* The current thread's last message; never NULL. */
const char *oa_error_message(void);

#ifdef __cplusplus
}
#endif
#endif
