/* The listing-page reader ("[Département] Title. Teaser…") on any bytes. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read(data, size, oa_read_listing_ctx);
    return 0;
}
