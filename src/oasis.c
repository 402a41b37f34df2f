/* Library-wide entry points. */
#include "oasis.h"

const char *oasis_version(void)
{
    return OASIS_VERSION_STRING;
}
