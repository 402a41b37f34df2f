/* The stored-document decoder (index/docdata.c) on any bytes: it reads
 * them, or refuses them as damaged (OASIS_ECORRUPT) with nothing kept,
 * never reading past the end. What it reads is valid UTF-8, and written
 * again gives back the very same bytes (the format has one way to write
 * each record). */
#include "fuzz.h"
#include "index/docdata.h"

static void check_string(const char *s)
{
    FUZZ_CHECK(s != NULL);
    FUZZ_CHECK(oa_utf8_valid(s, strlen(s), NULL));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    oa_docdata d;
    int rc = oa_docdata_decode((const char *)data, size, &d);
    FUZZ_CHECK(rc == 0 || rc == OASIS_ECORRUPT);
    if (rc) {
        FUZZ_CHECK(d.id == NULL && d.departements == NULL);
        return 0;
    }
    check_string(d.id);
    check_string(d.title);
    check_string(d.text);
    check_string(d.source_file);
    FUZZ_CHECK(d.departements != NULL && d.categories != NULL);
    for (size_t i = 0; i < d.n_departements; i++)
        check_string(d.departements[i]);
    for (size_t i = 0; i < d.n_categories; i++)
        check_string(d.categories[i]);

    oasis_doc doc;
    memset(&doc, 0, sizeof doc);
    doc.title = d.title;
    doc.text = d.text;
    doc.source_file = d.source_file;
    doc.source_line = d.source_line;
    oa_buf again = OA_BUF_INIT;
    FUZZ_CHECK(oa_docdata_encode(&doc, d.id, (const char *const *)d.departements,
                                 d.n_departements, (const char *const *)d.categories,
                                 d.n_categories, &again) == 0);
    /* A length written with more bytes than needed ("\x81\x00" for 1)
     * reads the same but is written shorter: equal bytes are asked only
     * where the input is as short as can be. */
    FUZZ_CHECK(again.len <= size);
    if (again.len == size)
        FUZZ_CHECK(!memcmp(again.data, data, size));
    oa_buf_free(&again);
    oa_docdata_clear(&d);
    return 0;
}
