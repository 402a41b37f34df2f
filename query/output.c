#include "output.h"

#include <jansson.h>
#include <string.h>

#define EXCERPT_BYTES 200

static int put_json(FILE *f, json_t *o)
{
    if (!o)
        return -1;
    int rc = json_dumpf(o, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;
    json_decref(o);
    return rc;
}

/* The beginning of text, cut at a space before max bytes, on one line. */
static void put_excerpt(FILE *f, const char *text, size_t max)
{
    size_t len = strlen(text);
    size_t cut = len;
    if (len > max) {
        cut = max;
        while (cut > 0 && text[cut] != ' ' && text[cut] != '\n')
            cut--;
        if (cut == 0) /* one long word: back off to a UTF-8 boundary */
            for (cut = max; cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80; cut--)
                ;
    }
    for (size_t i = 0; i < cut; i++)
        fputc(text[i] == '\n' || text[i] == '\t' ? ' ' : text[i], f);
    if (cut < len)
        fputs("…", f);
}

int out_hit(FILE *f, const out_style *st, const oasis_hit *h)
{
    if (st->json) {
        json_t *depts = json_array();
        for (size_t i = 0; depts && i < h->n_departements; i++)
            json_array_append_new(depts, json_pack("{s:s,s:s}", "code", h->departements[i]->code,
                                                   "name", h->departements[i]->name));
        char source[4096];
        snprintf(source, sizeof source, "%s:%ld", h->source_file, h->source_line);
        return put_json(f, json_pack("{s:s,s:I,s:s,s:f,s:s,s:o,s:s,s:s}", "type", "hit", "rank",
                                     (json_int_t)h->rank, "id", h->id, "score", h->score, "title",
                                     h->title, "departements", depts, "text", h->text, "source",
                                     source));
    }
    fprintf(f, "%2zu. ", h->rank);
    if (h->n_departements) {
        fputc('[', f);
        for (size_t i = 0; i < h->n_departements; i++)
            fprintf(f, "%s%s %s", i ? ", " : "", h->departements[i]->code,
                    h->departements[i]->name);
        fputs("] ", f);
    }
    fprintf(f, "%s%s%s\n", st->color ? "\033[1m" : "", *h->title ? h->title : "(untitled)",
            st->color ? "\033[0m" : "");
    if (*h->text) {
        fputs("    ", f);
        put_excerpt(f, h->text, EXCERPT_BYTES);
        fputc('\n', f);
    }
    fprintf(f, "    %s%s:%ld%s\n\n", st->color ? "\033[2m" : "", h->source_file, h->source_line,
            st->color ? "\033[0m" : "");
    return ferror(f) ? -1 : 0;
}

int out_summary(FILE *f, const out_style *st, const char *query, const oasis_results *r)
{
    size_t total = oasis_results_total(r), count = oasis_results_count(r);
    if (st->json)
        return put_json(f, json_pack("{s:s,s:s,s:I}", "type", "summary", "query", query, "total",
                                     (json_int_t)total));
    if (count)
        fprintf(f, "%zu–%zu of %zu initiative%s\n", oasis_results_hit(r, 0)->rank,
                oasis_results_hit(r, count - 1)->rank, total, total == 1 ? "" : "s");
    else
        fprintf(f, "%zu initiative%s\n", total, total == 1 ? "" : "s");
    return ferror(f) ? -1 : 0;
}
