#include "taxonomy/categories.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "taxonomy/rulectx.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/vec.h"
#include "util/map.h"
#include "util/tsv.h"

/* ---- Taxonomy ------------------------------------------------------------ */

/* Room for the 11 categories and many more: the index's value slot and the
 * facets stay readable well below this. */
#define MAX_CATEGORIES 64

typedef struct table {
    oasis_category v[MAX_CATEGORIES];
    size_t n;
    char *data; /* the TSV text, split in place; the strings point into it */
} table;

static table g_table;
static int g_rc;
static char g_msg[256];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void table_release(table *t)
{
    free(t->data);
    t->data = NULL;
    t->n = 0;
}

static int slug_ok(const char *s)
{
    if (!*s || *s == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

/* Fills t from tsv. On failure t is released and msg holds the reason. */
static int parse_table(const char *tsv, table *t, char *msg, size_t msg_size)
{
    t->n = 0;
    t->data = malloc(strlen(tsv) + 1);
    if (!t->data) {
        snprintf(msg, msg_size, "out of memory");
        return OASIS_ENOMEM;
    }
    strcpy(t->data, tsv);

    long lineno = 0;
    int header = 0;
    const char *err = NULL;
    char *next = t->data, *line;
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[3];
        if (oa_tsv_split(line, f, 3) != 3) {
            err = "expected 3 tab-separated fields";
            break;
        }
        if (!header) {
            if (strcmp(f[0], "slug") || strcmp(f[1], "label") || strcmp(f[2], "description")) {
                err = "bad header, expected slug, label, description";
                break;
            }
            header = 1;
            continue;
        }
        if (!slug_ok(f[0])) {
            err = "slug must be lower-case letters, digits and '-'";
            break;
        }
        if (!*f[1] || !*f[2]) {
            err = "empty label or description";
            break;
        }
        size_t i = 0;
        while (i < t->n && strcmp(t->v[i].slug, f[0]))
            i++;
        if (i < t->n) {
            err = "duplicate slug";
            break;
        }
        if (t->n == MAX_CATEGORIES) {
            err = "too many categories";
            break;
        }
        t->v[t->n++] = (oasis_category){f[0], f[1], f[2]};
    }
    if (!err && t->n == 0)
        err = header ? "no categories" : "no header";
    if (err) {
        snprintf(msg, msg_size, "categories.tsv:%ld: %s", lineno, err);
        table_release(t);
        return OASIS_EFORMAT;
    }
    return 0;
}

static void init_once(void)
{
    g_rc = parse_table(oa_categories_tsv, &g_table, g_msg, sizeof g_msg);
}

int oa_categories_init(void)
{
    pthread_once(&g_once, init_once);
    if (g_rc)
        return oa_error(g_rc, "%s", g_msg);
    return 0;
}

int oa_categories_validate(const char *tsv)
{
    if (!tsv)
        return oa_error(OASIS_EINVAL, "no table");
    table *t = malloc(sizeof *t);
    if (!t)
        return oa_error(OASIS_ENOMEM, "out of memory");
    char msg[256];
    int rc = parse_table(tsv, t, msg, sizeof msg);
    if (rc)
        oa_error(rc, "%s", msg);
    table_release(t);
    free(t);
    return rc;
}

const oasis_category *oa_category_find(const char *slug)
{
    if (!slug || oa_categories_init())
        return NULL;
    for (size_t i = 0; i < g_table.n; i++)
        if (!strcasecmp(g_table.v[i].slug, slug))
            return &g_table.v[i];
    return NULL;
}

size_t oa_category_count(void)
{
    return oa_categories_init() ? 0 : g_table.n;
}

const oasis_category *oa_category_at(size_t i)
{
    if (oa_categories_init() || i >= g_table.n)
        return NULL;
    return &g_table.v[i];
}

long oa_category_index(const oasis_category *c)
{
    if (!c || oa_categories_init() || c < g_table.v || c >= g_table.v + g_table.n)
        return -1;
    return (long)(c - g_table.v);
}

const oasis_category *oasis_category_find(const char *slug)
{
    return oa_category_find(slug);
}

size_t oasis_category_count(void)
{
    return oa_category_count();
}

const oasis_category *oasis_category_at(size_t i)
{
    return oa_category_at(i);
}

int oa_category_check(const char *slug)
{
    int rc = oa_categories_init();
    if (rc)
        return rc;
    if (!oa_category_find(slug))
        return oa_error(OASIS_ENOTFOUND, "unknown category '%s' (valid: %s)", slug ? slug : "",
                        oa_category_slugs());
    return 0;
}

static char g_slugs[1024];
static pthread_once_t g_slugs_once = PTHREAD_ONCE_INIT;

static void join_slugs(void)
{
    size_t at = 0;
    for (size_t i = 0; i < g_table.n && at < sizeof g_slugs; i++) {
        int n = snprintf(g_slugs + at, sizeof g_slugs - at, "%s%s", i ? ", " : "",
                         g_table.v[i].slug);
        at += n > 0 ? (size_t)n : 0;
    }
}

const char *oa_category_slugs(void)
{
    if (oa_categories_init())
        return "";
    pthread_once(&g_slugs_once, join_slugs);
    return g_slugs;
}

/* ---- Classifier ---------------------------------------------------------- */

/* One analysed term of a rule, at its position within the phrase. A word
 * may give two terms at one position (see the analyzer's alternatives). */
typedef struct rterm {
    char *s;
    size_t len;
    uint32_t rel;
} rterm;

typedef struct rule {
    size_t cat; /* taxonomy index */
    rterm *terms;
    size_t n_terms;
    uint32_t n_pos;
    const char *phrase;
    long line;
    oa_rule_context *cx; /* what must (not) be near a match; NULL: nothing */
} rule;

/* (first term, rule) pairs sorted by term then rule; the hash table maps
 * each distinct first term to its run of pairs. */
typedef struct entry {
    const char *term;
    size_t len;
    size_t rule;
} entry;

/* The entries of one first term: a run of the sorted entries array. */
typedef struct run {
    size_t start, end;
} run;

struct oa_classifier {
    oa_analyzer *analyzer;
    char *data; /* the rules text, split in place */
    rule *rules;
    size_t n_rules;
    entry *entries;
    size_t n_entries;
    oa_map first;  /* the distinct first terms */
    run *runs;     /* by index in first */
    size_t n_cats;
    size_t *best; /* per category: lowest matching rule, or SIZE_MAX */
    oa_tokens tokens;
};

static int term_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    int r = memcmp(a, b, al < bl ? al : bl);
    return r ? r : al < bl ? -1 : al > bl ? 1 : 0;
}

static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int r = term_cmp(a->term, a->len, b->term, b->len);
    return r ? r : a->rule < b->rule ? -1 : a->rule > b->rule ? 1 : 0;
}

void oa_classifier_free(oa_classifier *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_rules; i++) {
        for (size_t k = 0; k < c->rules[i].n_terms; k++)
            free(c->rules[i].terms[k].s);
        free(c->rules[i].terms);
        oa_rule_context_free(c->rules[i].cx);
    }
    free(c->rules);
    free(c->entries);
    oa_map_free(&c->first);
    free(c->runs);
    free(c->best);
    free(c->data);
    oa_tokens_free(&c->tokens);
    oa_analyzer_free(c->analyzer);
    free(c);
}

size_t oa_classifier_rule_count(const oa_classifier *c)
{
    return c ? c->n_rules : 0;
}

static int same_terms(const rule *a, const rule *b)
{
    if (a->n_terms != b->n_terms)
        return 0;
    for (size_t k = 0; k < a->n_terms; k++)
        if (a->terms[k].rel != b->terms[k].rel ||
            term_cmp(a->terms[k].s, a->terms[k].len, b->terms[k].s, b->terms[k].len))
            return 0;
    return 1;
}

/* Analyses the phrase of rule r into its terms. */
static int rule_terms(oa_classifier *c, rule *r)
{
    oa_tokens_clear(&c->tokens);
    int rc = oa_analyze(c->analyzer, r->phrase, strlen(r->phrase), 0, &c->tokens);
    if (rc)
        return rc;
    if (c->tokens.n == 0)
        return 0;
    r->terms = calloc(c->tokens.n, sizeof *r->terms);
    if (!r->terms)
        return oa_error(OASIS_ENOMEM, "out of memory");
    uint32_t first = c->tokens.v[0].pos;
    for (size_t k = 0; k < c->tokens.n; k++) {
        const oa_token *t = &c->tokens.v[k];
        if (t->compound)
            continue; /* a rule is its words */
        size_t at = r->n_terms;
        if (!(r->terms[at].s = oa_strndup(t->term, t->term_len)))
            return OASIS_ENOMEM;
        r->terms[at].len = t->term_len;
        r->terms[at].rel = t->pos - first;
        r->n_terms++;
    }
    r->n_pos = r->terms[r->n_terms - 1].rel + 1;
    return 0;
}

/* Parses the rules text into c->rules. */
static int parse_rules(oa_classifier *c)
{
    size_t cap = 0;
    long lineno = 0;
    int header = 0;
    char *next = c->data, *line;
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[3] = {NULL, NULL, NULL};
        size_t nf = oa_tsv_split(line, f, 3);
        if (nf != 2 && nf != 3)
            return oa_error(OASIS_EFORMAT,
                            "category-rules.tsv:%ld: expected 2 or 3 tab-separated fields",
                            lineno);
        if (!header) {
            if (strcmp(f[0], "category") || strcmp(f[1], "phrase") ||
                (nf == 3 && strcmp(f[2], "context")))
                return oa_error(OASIS_EFORMAT,
                                "category-rules.tsv:%ld: bad header, expected category, phrase"
                                " (and context)",
                                lineno);
            header = 1;
            continue;
        }
        const oasis_category *cat = oa_category_find(f[0]);
        if (!cat)
            return oa_error(OASIS_EFORMAT, "category-rules.tsv:%ld: unknown category '%s'",
                            lineno, f[0]);
        int rc = oa_grow(&c->rules, &cap, c->n_rules + 1, sizeof *c->rules);
        if (rc)
            return rc;
        rule *r = &c->rules[c->n_rules++];
        *r = (rule){(size_t)oa_category_index(cat), NULL, 0, 0, f[1], lineno, NULL};
        rc = rule_terms(c, r);
        if (!rc && nf == 3)
            rc = oa_rule_context_parse(c->analyzer, f[2], &r->cx);
        if (rc == OASIS_EFORMAT) {
            char why[200]; /* the message is rewritten below: copy it first */
            snprintf(why, sizeof why, "%s", oa_error_message());
            return oa_error(rc, "category-rules.tsv:%ld: %s", lineno, why);
        }
        if (rc)
            return rc;
        if (r->n_terms == 0)
            return oa_error(OASIS_EFORMAT,
                            "category-rules.tsv:%ld: phrase '%s' has no word left after analysis",
                            lineno, f[1]);
        for (size_t i = 0; i + 1 < c->n_rules; i++)
            if (c->rules[i].cat == r->cat && !c->rules[i].cx && !r->cx &&
                same_terms(&c->rules[i], r))
                return oa_error(OASIS_EFORMAT,
                                "category-rules.tsv:%ld: '%s' is the same rule as line %ld",
                                lineno, f[1], c->rules[i].line);
    }
    if (!header)
        return oa_error(OASIS_EFORMAT, "category-rules.tsv:%ld: no header", lineno);
    return 0;
}

/* Indexes the rules by their first term(s): sorted pairs, and a map of
 * each distinct first term to its run of pairs. */
static int build_index(oa_classifier *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_rules; i++)
        for (size_t k = 0; k < c->rules[i].n_terms && c->rules[i].terms[k].rel == 0; k++)
            n++;
    c->entries = malloc((n ? n : 1) * sizeof *c->entries);
    if (!c->entries)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_rules; i++)
        for (size_t k = 0; k < c->rules[i].n_terms && c->rules[i].terms[k].rel == 0; k++)
            c->entries[c->n_entries++] =
                (entry){c->rules[i].terms[k].s, c->rules[i].terms[k].len, i};
    qsort(c->entries, c->n_entries, sizeof *c->entries, entry_cmp);

    c->runs = malloc((c->n_entries ? c->n_entries : 1) * sizeof *c->runs);
    if (!c->runs)
        return oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t s = 0; s < c->n_entries;) {
        size_t e = s + 1, i;
        while (e < c->n_entries &&
               !term_cmp(c->entries[e].term, c->entries[e].len, c->entries[s].term,
                         c->entries[s].len))
            e++;
        int rc = oa_map_add(&c->first, c->entries[s].term, c->entries[s].len, &i, NULL);
        if (rc)
            return rc;
        c->runs[i] = (run){s, e};
        s = e;
    }
    return 0;
}

int oa_classifier_new_from(oa_classifier **out, const char *rules_tsv)
{
    if (!out || !rules_tsv)
        return oa_error(OASIS_EINVAL, "no rules");
    *out = NULL;
    int rc = oa_categories_init();
    if (rc)
        return rc;
    oa_classifier *c = calloc(1, sizeof *c);
    if (!c)
        return oa_error(OASIS_ENOMEM, "out of memory");
    c->n_cats = oa_category_count();
    if (!(c->data = oa_strdup(rules_tsv)) ||
        !(c->best = malloc(c->n_cats * sizeof *c->best))) {
        oa_classifier_free(c);
        return oa_error(OASIS_ENOMEM, "out of memory");
    }
    if ((rc = oa_analyzer_new(&c->analyzer)) || (rc = parse_rules(c)) || (rc = build_index(c))) {
        oa_classifier_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int oa_classifier_new(oa_classifier **out)
{
    return oa_classifier_new_from(out, oa_category_rules_tsv);
}

static const run *lookup(const oa_classifier *c, const char *term, size_t len)
{
    long i = oa_map_find(&c->first, term, len);
    return i < 0 ? NULL : &c->runs[i];
}

/* 1 when rule r's terms follow the token v[i] at consecutive positions.
 * Tokens are in position order; several may share a position. */
static int phrase_at(const oa_token *v, size_t n, size_t i, const rule *r)
{
    uint32_t p = v[i].pos;
    size_t j = i, k = 0;
    while (k < r->n_terms && r->terms[k].rel == 0)
        k++;
    for (uint32_t rel = 1; rel < r->n_pos; rel++) {
        uint32_t want = p + rel;
        if (want < p)
            return 0;
        while (j < n && v[j].pos < want)
            j++;
        if (j == n || v[j].pos != want)
            return 0;
        size_t kend = k;
        while (kend < r->n_terms && r->terms[kend].rel == rel)
            kend++;
        int found = 0;
        for (size_t jj = j; jj < n && v[jj].pos == want && !found; jj++)
            for (size_t kk = k; kk < kend && !found; kk++)
                found = v[jj].term_len == r->terms[kk].len &&
                        !memcmp(v[jj].term, r->terms[kk].s, r->terms[kk].len);
        if (!found)
            return 0;
        k = kend;
    }
    return 1;
}

int oa_classify(oa_classifier *c, const oa_tokens *tokens, oa_category_match *out, size_t max,
                size_t *n)
{
    if (n)
        *n = 0;
    if (!c || !tokens || !n || (max && !out))
        return oa_error(OASIS_EINVAL, "invalid argument");
    for (size_t i = 0; i < c->n_cats; i++)
        c->best[i] = SIZE_MAX;
    for (size_t i = 0; i < tokens->n; i++) {
        const oa_token *t = &tokens->v[i];
        const run *s = lookup(c, t->term, t->term_len);
        if (!s)
            continue;
        for (size_t e = s->start; e < s->end; e++) {
            size_t ri = c->entries[e].rule;
            const rule *r = &c->rules[ri];
            if (c->best[r->cat] <= ri)
                continue; /* an earlier rule already gave this category */
            if ((r->n_pos == 1 || phrase_at(tokens->v, tokens->n, i, r)) &&
                oa_rule_context_holds(r->cx, tokens->v, tokens->n, t->pos, t->pos + r->n_pos - 1))
                c->best[r->cat] = ri;
        }
    }
    for (size_t i = 0; i < c->n_cats && *n < max; i++) {
        if (c->best[i] == SIZE_MAX)
            continue;
        const rule *r = &c->rules[c->best[i]];
        out[(*n)++] = (oa_category_match){&g_table.v[i], r->phrase, r->line};
    }
    return 0;
}

int oa_classify_doc(oa_classifier *c, const char *title, const char *text,
                    oa_category_match *out, size_t max, size_t *n)
{
    if (n)
        *n = 0;
    if (!c)
        return oa_error(OASIS_EINVAL, "invalid argument");
    oa_tokens_clear(&c->tokens);
    int rc = 0;
    if (title && (rc = oa_analyze(c->analyzer, title, strlen(title), 0, &c->tokens)))
        return rc;
    uint32_t next = c->tokens.n ? c->tokens.v[c->tokens.n - 1].pos + 1 : 0;
    if (text && (rc = oa_analyze(c->analyzer, text, strlen(text), next + OA_TEXT_POS_GAP,
                                 &c->tokens)))
        return rc;
    return oa_classify(c, &c->tokens, out, max, n);
}
