/* A corpus file's whole way in: encoding checks and conversion, format
 * detection, then the reader detected (oa_read_bytes), on any bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    oa_format f = oa_detect_format(buf, size);
    FUZZ_CHECK(f == OA_FORMAT_UNKNOWN || f == OA_FORMAT_RECORDS || f == OA_FORMAT_LISTING ||
               f == OA_FORMAT_JSONL);
    /* A conversion may grow the line count only through UTF-16 and UTF-32
     * (each 0x0A byte counted is an upper bound). */
    fuzz_emit e = {fuzz_lines(buf, size), 0};
    oa_reader r = {"fuzz", fuzz_emit_check, &e, fuzz_warn_check, &e, 0, 0};
    oa_read_progress progress = {0, 0};
    int rc = oa_read_bytes(&r, buf, size, &progress);
    FUZZ_CHECK(rc == 0 || rc == OASIS_EFORMAT);
    FUZZ_CHECK(progress.done <= progress.total);
    /* Nothing is dropped without a word. */
    FUZZ_CHECK(r.skipped == 0 || r.warnings > 0);
    return 0;
}
