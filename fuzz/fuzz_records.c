/* The records reader ("NN. Département" / title / body) on any bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read(data, size, oa_read_records_ctx);
    return 0;
}
