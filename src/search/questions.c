/* Questions: a query that ends with '?' or starts with an interrogative
 * word is read as its keywords, the words that only make it a question
 * ("fait", "proposent", "départements") dropped. */
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "search/compile_ctx.h"
#include "util/buf.h"

/* Words that only make a sentence a question: dropped from questions. */
static int filler(const char *plain)
{
    static const char *const words[] = {
        "action",   "actions",  "agir",      "agissent",  "agit",     "departement",
        "departements", "doit", "doivent",   "existe",    "existent", "exister",
        "fait",     "faire",    "fais",      "font",      "initiative", "initiatives",
        "mene",     "menent",   "mener",     "met",       "mettent",  "mettre",
        "peut",     "peuvent",  "pouvoir",   "propose",   "proposent", "proposer",
        "trouve",   "trouver"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(plain, words[i]))
            return 1;
    return 0;
}

int cq_is_question(cq_ctx *c)
{
    size_t len = strlen(c->text);
    while (len && strchr(" \t\r\n", c->text[len - 1]))
        len--;
    if (len && c->text[len - 1] == '?')
        return 1;
    static const char *const first[] = {"quel", "quels", "quelle", "quelles", "comment",
                                        "pourquoi", "combien", "qui", "que", "quoi", "ou",
                                        "lequel", "laquelle", "lesquels", "lesquelles"};
    size_t s = 0;
    while (s < len && strchr(" \t\r\n", c->text[s]))
        s++;
    size_t e = s;
    /* The first word ends at white space or at an apostrophe, whichever
     * the analyzer reads as one. */
    while (e < len && !strchr(" \t\r\n", c->text[e]) && !oa_apostrophe_len(c->text + e, len - e))
        e++;
    oa_buf plain = OA_BUF_INIT;
    int q = 0;
    if (e > s && !oa_analyzer_plain(c->env->analyzer, c->text + s, e - s, &plain))
        for (size_t i = 0; i < sizeof first / sizeof first[0] && !q; i++)
            q = !strcmp(plain.data, first[i]);
    oa_buf_free(&plain);
    return q;
}

void cq_drop_fillers(cq_ctx *c, cq_word *w, size_t n)
{
    size_t kept = 0, dropped = 0;
    oa_buf plain = OA_BUF_INIT;
    for (size_t i = 0; i < n && !c->rc; i++) {
        if (w[i].place) {
            kept++;
            continue;
        }
        c->rc = oa_analyzer_plain(c->env->analyzer, c->text + w[i].start, w[i].end - w[i].start,
                                  &plain);
        if (!c->rc && filler(plain.data)) {
            w[i].dropped = 1;
            dropped++;
        } else {
            kept++;
        }
    }
    oa_buf_free(&plain);
    if (!kept)
        for (size_t i = 0; i < n; i++)
            w[i].dropped = 0;
}
