/* The JSON Lines reader on any bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read(data, size, oa_read_jsonl_ctx);
    return 0;
}
