/* The tables of corpus/ as the library reads them, on any bytes (up to the
 * first NUL: the readers take C strings). Each input goes through all of
 * them: lines and fields (util/tsv.c), checked against the bytes; the
 * taxonomy table and the category rules (taxonomy/categories.c), where
 * every rule accepted finds its category in its own phrase; and the
 * thesaurus (search/synonyms.c), where every expression matches itself. */
#include <strings.h>

#include "fuzz.h"
#include "search/synonyms.h"
#include "taxonomy/categories.h"
#include "util/buf.h"
#include "util/tsv.h"

/* Lines as oa_tsv_next_line() cuts them: each is the next run of text up
 * to '\n', without a '\r' before it; a last empty run is no line. The
 * fields of each, for a few maxima, split at every tab. */
static void check_lines(const char *text, size_t len)
{
    char *buf = oa_strndup(text, len), *scratch = malloc(len + 1);
    FUZZ_CHECK(buf && scratch);
    char *next = buf, *line;
    size_t at = 0;
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        FUZZ_CHECK(at < len && line == buf + at);
        const char *nl = memchr(text + at, '\n', len - at);
        size_t run = nl ? (size_t)(nl - (text + at)) : len - at, ll = strlen(line);
        int cr = run > 0 && text[at + run - 1] == '\r';
        FUZZ_CHECK(ll + (size_t)cr == run && !memcmp(line, text + at, ll));
        size_t tabs = 0;
        for (size_t i = 0; i < ll; i++)
            tabs += line[i] == '\t';
        static const size_t maxima[] = {0, 1, 2, 3, 64};
        for (size_t m = 0; m < sizeof maxima / sizeof maxima[0]; m++) {
            size_t max = maxima[m];
            /* Exactly max fields: a store past them is caught. */
            char **f = malloc(max * sizeof *f);
            FUZZ_CHECK(f || !max);
            memcpy(scratch, line, ll + 1);
            size_t n = oa_tsv_split(scratch, f, max);
            FUZZ_CHECK(n == (tabs + 1 <= max ? tabs + 1 : max + 1));
            /* The fields stored are the line's, in order, cut at tabs. */
            size_t off = 0;
            for (size_t i = 0; i < n && i < max; i++) {
                size_t fl = strlen(f[i]);
                FUZZ_CHECK(f[i] == scratch + off && !memchr(f[i], '\t', fl));
                FUZZ_CHECK(!memcmp(f[i], line + off, fl));
                off += fl;
                FUZZ_CHECK(off == ll || line[off] == '\t');
                off++;
            }
            if (n <= max)
                FUZZ_CHECK(off == ll + 1);
            free(f);
        }
        at += run + (nl != NULL);
    }
    FUZZ_CHECK(at == len);
    free(scratch);
    free(buf);
}

static void check_taxonomy(const char *text)
{
    int rc = oa_categories_validate(text);
    FUZZ_CHECK(rc == 0 ||
               (rc == OASIS_EFORMAT && !strncmp(oasis_error_last(), "categories.tsv:", 15)));
}

/* A rule accepted finds its category in its own phrase (unless it asks
 * for a context); the categories a text gets are distinct, in taxonomy
 * order, each with a rule of the table. */
static void check_rules(const char *text, size_t len)
{
    oa_classifier *c = NULL;
    int rc = oa_classifier_new_from(&c, text);
    if (rc) {
        FUZZ_CHECK(rc == OASIS_EFORMAT && c == NULL &&
                   !strncmp(oasis_error_last(), "category-rules.tsv:", 19));
        return;
    }
    long lines = fuzz_lines(text, len);
    char *buf = oa_strndup(text, len), *next = buf, *line;
    FUZZ_CHECK(buf);
    int header = 0;
    oa_category_match m[64];
    size_t cats = oa_category_count();
    FUZZ_CHECK(cats <= sizeof m / sizeof m[0]);
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        char *f[3] = {NULL, NULL, NULL};
        if (line[0] == '#' || line[0] == '\0')
            continue;
        size_t nf = oa_tsv_split(line, f, 3);
        FUZZ_CHECK(nf == 2 || nf == 3);
        if (!header++)
            continue;
        /* A rule with a context needs more than its phrase. */
        int plain = nf == 2 || !f[2][strspn(f[2], " ;")];
        size_t n = 0;
        FUZZ_CHECK(oa_classify_doc(c, NULL, f[1], m, cats, &n) == 0);
        int found = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(m[i].phrase && m[i].rule_line >= 1 && m[i].rule_line <= lines);
            FUZZ_CHECK(i == 0 || oa_category_index(m[i].category) >
                                     oa_category_index(m[i - 1].category));
            /* A rule's slug is found ignoring ASCII case, as
             * oasis_category_find() finds it ("itinerAnce"). */
            found |= !strcasecmp(m[i].category->slug, f[0]);
        }
        FUZZ_CHECK(found || !plain);
    }
    free(buf);
    oa_classifier_free(c);
}

/* Every expression matches its own words, and the synonyms of the first
 * few (the lookup is quadratic: not all of a large table) are preferred
 * expressions other than themselves. */
static void check_thesaurus(const char *text)
{
    oa_thesaurus *t = NULL;
    int rc = oa_thesaurus_parse(text, &t);
    if (rc) {
        FUZZ_CHECK(rc == OASIS_EFORMAT && t == NULL &&
                   !strncmp(oasis_error_last(), "synonyms table line ", 20));
        return;
    }
    size_t size = oa_thesaurus_size(t);
    for (size_t k = 0; k < size; k++) {
        const oa_syn_expr *e = oa_thesaurus_at(t, k);
        FUZZ_CHECK(e && e->text && e->n >= 1);
        size_t expr = SIZE_MAX;
        FUZZ_CHECK(oa_thesaurus_match(t, (const char *const *)e->term,
                                      (const char *const *)e->alt, e->n, &expr) == e->n);
        FUZZ_CHECK(expr < size);
        if (k >= 16)
            continue;
        size_t idx[4];
        size_t ns = oa_thesaurus_synonyms(t, expr, idx, 4);
        /* Other expressions, the preferred ones first. */
        for (size_t i = 0; i < ns && i < 4; i++) {
            FUZZ_CHECK(idx[i] < size && idx[i] != expr);
            FUZZ_CHECK(i == 0 || oa_thesaurus_at(t, idx[i - 1])->preferred ||
                       !oa_thesaurus_at(t, idx[i])->preferred);
        }
    }
    oa_thesaurus_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nul = memchr(data, '\0', size);
    size_t len = nul ? (size_t)(nul - (const char *)data) : size;
    char *text = oa_strndup((const char *)data, len);
    FUZZ_CHECK(text);
    check_lines(text, len);
    check_taxonomy(text);
    check_rules(text, len);
    check_thesaurus(text);
    free(text);
    return 0;
}
