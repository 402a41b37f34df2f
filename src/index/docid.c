#include "index/docid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "util/hash.h"

#define ID_SLUG_MAX 60

/* "45-plan-priorite-sante": first département code, then the title's fold
 * key cut at a word boundary. Stable across runs while the title is. */
int oa_doc_id(const oasis_doc *doc, const char *const *codes, size_t n_codes, oa_buf *out)
{
    const char *title = doc->title && *doc->title ? doc->title : doc->text ? doc->text : "";
    char *key;
    int rc = oa_fold_key(title, strlen(title), &key);
    if (rc)
        return rc;
    size_t cut = strlen(key);
    if (cut > ID_SLUG_MAX) {
        cut = ID_SLUG_MAX;
        while (cut > 0 && key[cut] != ' ')
            cut--;
        if (cut == 0) /* one long word: keep whole UTF-8 characters */
            for (cut = ID_SLUG_MAX; cut > 0 && ((unsigned char)key[cut] & 0xC0) == 0x80; cut--)
                ;
    }
    oa_buf_reset(out);
    if (!(rc = oa_buf_puts(out, n_codes ? codes[0] : "xx")) && !(rc = oa_buf_putc(out, '-')) &&
        cut == 0)
        rc = oa_buf_printf(out, "%08llx", (unsigned long long)(oa_fnv1a_str(title) & 0xffffffffu));
    for (size_t i = 0; i < cut && !rc; i++)
        rc = oa_buf_putc(out, key[i] == ' ' ? '-' : key[i]);
    free(key);
    return rc;
}
