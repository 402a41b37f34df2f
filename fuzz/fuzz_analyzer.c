/* The French analyzer on any bytes: terms, positions and byte ranges
 * checked; the fold key and the plain form of the input too. */
#include "fuzz.h"

static oa_analyzer *analyzer;
static oa_tokens tokens = OA_TOKENS_INIT;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    if (!analyzer && oa_analyzer_new(&analyzer) != 0)
        abort();
    oa_tokens_clear(&tokens);
    int valid = oa_utf8_valid(text, size, NULL);
    uint32_t first = size ? data[0] : 0;
    int rc = oa_analyze(analyzer, text, size, first, &tokens);
    if (!valid) {
        FUZZ_CHECK(rc == OASIS_EFORMAT && tokens.n == 0);
        return 0;
    }
    FUZZ_CHECK(rc == 0);
    for (size_t i = 0; i < tokens.n; i++) {
        const oa_token *t = &tokens.v[i];
        /* A word of combining marks alone folds to an empty term: the
         * writer skips such terms (Xapian refuses them). */
        FUZZ_CHECK(t->term && strlen(t->term) == t->term_len);
        FUZZ_CHECK(oa_utf8_valid(t->term, t->term_len, NULL));
        FUZZ_CHECK(t->start < t->end && t->end <= size);
        FUZZ_CHECK(t->pos >= first);
        if (i > 0) {
            const oa_token *p = &tokens.v[i - 1];
            if (t->compound && !t->alt) {
                /* A compound: at its last kept word's position (or a new
                 * one), over the bytes of all its words. */
                if (t->pos == p->pos)
                    FUZZ_CHECK(t->start <= p->start && t->end >= p->end);
                else
                    FUZZ_CHECK(t->pos > p->pos && t->start >= p->start);
            } else {
                FUZZ_CHECK(t->alt ? t->pos == p->pos : t->pos > p->pos);
                FUZZ_CHECK(t->start >= p->start);
            }
        } else {
            FUZZ_CHECK(!t->alt);
        }
    }
    char *key = NULL;
    if (oa_fold_key(text, size, &key) == 0) {
        FUZZ_CHECK(oa_utf8_valid(key, strlen(key), NULL));
        free(key);
    }
    oa_buf plain = OA_BUF_INIT;
    size_t word = size < 64 ? size : 64;
    while (word > 0 && !oa_utf8_valid(text, word, NULL))
        word--;
    if (oa_analyzer_plain(analyzer, text, word, &plain) == 0)
        FUZZ_CHECK(oa_utf8_valid(plain.data, plain.len, NULL));
    oa_buf_free(&plain);
    return 0;
}
