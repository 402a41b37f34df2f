/* Concepts through the taxonomy: a run of query words that names an action
 * category (its slug, its label, or a phrase of one of its rules in
 * corpus/category-rules.tsv) also looks for that category's initiatives.
 * The names are kept as a thesaurus whose group g is the category of
 * taxonomy index g, analysed once. A category named adds, to the loose
 * tier only (so its initiatives rank below those holding the words), its
 * XC term OR-ed with its evidence: the category's phrases found in the
 * text, weighted OA_CONCEPT_WEIGHT, within that category. Plain query
 * operators only: the search runs the same on a remote or sharded index. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "search/compile_ctx.h"
#include "search/ranking.h"
#include "search/synonyms.h"
#include "taxonomy/categories.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/tsv.h"

static oa_thesaurus *g_concepts;
static int g_rc;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* The rule phrases of category slug that need no context, each after a
 * tab, into b. */
static int add_rule_phrases(const char *slug, oa_buf *b)
{
    char *rules = oa_strdup(oa_category_rules_tsv);
    if (!rules)
        return OASIS_ENOMEM;
    int rc = 0;
    char *next = rules, *line;
    while (!rc && (line = oa_tsv_next_line(&next)) != NULL) {
        char *f[3] = {NULL, NULL, NULL};
        size_t nf = oa_tsv_split(line, f, 3);
        if (*line == '#' || nf < 2)
            continue;
        /* A phrase that needs a context ("hébergement" near the people
         * housed, "plan" near santé) does not name the category alone. */
        int context = nf > 2 && f[2][strspn(f[2], " ;")];
        if (!strcmp(f[0], slug) && *f[1] && !context)
            rc = oa_buf_printf(b, "\t%s", f[1]);
    }
    free(rules);
    return rc;
}

/* One line a category: its slug (hyphens as spaces), its label, its rule
 * phrases. */
static void load(void)
{
    oa_buf b = OA_BUF_INIT;
    int rc = oa_categories_init();
    for (size_t i = 0; !rc && i < oa_category_count(); i++) {
        const oasis_category *cat = oa_category_at(i);
        size_t start = b.len;
        rc = oa_buf_printf(&b, "%s\t%s", cat->slug, cat->label);
        for (size_t k = start; !rc && k < b.len && b.data[k] != '\t'; k++)
            if (b.data[k] == '-')
                b.data[k] = ' ';
        if (!rc)
            rc = add_rule_phrases(cat->slug, &b);
        if (!rc)
            rc = oa_buf_puts(&b, "\n");
    }
    if (!rc)
        rc = oa_thesaurus_parse(b.data ? b.data : "", &g_concepts);
    oa_buf_free(&b);
    g_rc = rc;
}

static int oa_concepts(const oa_thesaurus **out)
{
    pthread_once(&g_once, load);
    *out = g_concepts;
    return g_rc;
}

/* The query of category g: its XC term, OR its evidence weighted
 * OA_CONCEPT_WEIGHT within it. */
static xapc_query *concept_query(cq_ctx *c, const oa_thesaurus *t, size_t g, const char *slug)
{
    cq_list evidence = {0};
    for (size_t k = 0; k < oa_thesaurus_size(t) && !c->rc; k++) {
        const oa_syn_expr *e = oa_thesaurus_at(t, k);
        if (e->group == g)
            cq_push(c, &evidence, cq_phrase(c, "", e->term, e->alt, e->n));
    }
    xapc_query *any = cq_take(c, XAPC_OR, &evidence);
    xapc_query *xc = cq_term(c, OA_PREFIX_CATEGORY, slug);
    xapc_query *within = cq_pair(c, XAPC_FILTER, any, cq_copy(c, xc));
    return cq_pair(c, XAPC_OR, cq_scaled(c, within, OA_CONCEPT_WEIGHT), xc);
}

/* The categories of thesaurus expression expr, named by w[0..k). */
static void add_concepts(cq_ctx *c, const oa_thesaurus *t, const cq_word *w, size_t k,
                         size_t expr, unsigned char *named, cq_elems *e)
{
    size_t groups[32];
    size_t n = oa_thesaurus_groups(t, expr, groups, 32);
    for (size_t i = 0; i < n && i < 32 && !c->rc; i++) {
        const oasis_category *cat = oa_category_at(groups[i]);
        if (!cat || named[groups[i]])
            continue;
        named[groups[i]] = 1;
        xapc_query *q = concept_query(c, t, groups[i], cat->slug);
        oa_buf_reset(&c->scratch);
        if (!c->rc)
            c->rc = oa_buf_printf(&c->scratch, "cat:%s", cat->slug);
        oa_unit *u = c->rc ? NULL : cq_new_unit(c, OA_UNIT_CATEGORY, c->scratch.data, c->scratch.len);
        if (u) {
            u->title_only = 1; /* a category is not a word of the text */
            u->q = cq_copy(c, q);
            if (!(u->of = oa_strndup(c->text + w[0].start, w[k - 1].end - w[0].start)))
                c->rc = OASIS_ENOMEM;
        }
        cq_push(c, &e->loose, q);
    }
}

void cq_concepts(cq_ctx *c, const cq_word *w, size_t n, cq_elems *e)
{
    const oa_thesaurus *t = NULL;
    if (!n || !c->env->synonyms || c->rc || (c->rc = oa_concepts(&t)) != 0)
        return;
    const char **terms = calloc(n, sizeof *terms), **alts = calloc(n, sizeof *alts);
    unsigned char *named = calloc(oa_category_count() + 1, 1);
    if (!terms || !alts || !named)
        c->rc = oa_error(OASIS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n && !c->rc;) {
        size_t run = 0;
        while (i + run < n && !w[i + run].place && !w[i + run].dropped) {
            terms[run] = w[i + run].term;
            alts[run] = w[i + run].alt;
            run++;
        }
        /* The longest name at each place of the run. */
        for (size_t j = 0; j < run && !c->rc;) {
            size_t expr = 0;
            size_t k = oa_thesaurus_match(t, terms + j, alts + j, run - j, &expr);
            if (k)
                add_concepts(c, t, &w[i + j], k, expr, named, e);
            j += k ? k : 1;
        }
        i += run ? run : 1;
    }
    free(terms);
    free(alts);
    free(named);
}
