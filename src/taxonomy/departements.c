#include "taxonomy/departements.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "util/error.h"

/* Room for the 101 départements and a few more should the table grow. */
#define MAX_DEPTS 128

static oasis_departement g_depts[MAX_DEPTS];
static char *g_keys[MAX_DEPTS];       /* fold key of each name */
static size_t g_key_len[MAX_DEPTS];
static const char *g_alias[MAX_DEPTS]; /* key without a leading article, or NULL */
static size_t g_by_len[MAX_DEPTS];    /* indexes, longest key first */
static size_t g_count;
static size_t g_max_words;            /* words in the longest name */
static char *g_data;                  /* the table's text, split in place */
static oasis_region g_regions[MAX_DEPTS]; /* distinct régions, by code */
static char *g_region_keys[MAX_DEPTS];
static size_t g_region_count;
static int g_rc;
static char g_msg[256];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void release(void)
{
    for (size_t i = 0; i < g_count; i++)
        free(g_keys[i]);
    for (size_t i = 0; i < g_region_count; i++)
        free(g_region_keys[i]);
    g_region_count = 0;
    free(g_data);
    g_data = NULL;
    g_count = 0;
}

static int fail(int code, int line, const char *what)
{
    release();
    snprintf(g_msg, sizeof g_msg, "departements table line %d: %s", line, what);
    return code;
}

/* Splits the line at tabs into at most max fields; returns their number. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    fields[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p == '\t') {
            *p = '\0';
            if (n == max)
                return max + 1;
            fields[n++] = p + 1;
        }
    }
    return n;
}

static size_t count_words(const char *key)
{
    size_t n = *key ? 1 : 0;
    for (; *key; key++)
        n += *key == ' ';
    return n;
}

static int by_len_desc(const void *a, const void *b)
{
    size_t la = g_key_len[*(const size_t *)a], lb = g_key_len[*(const size_t *)b];
    return la < lb ? 1 : la > lb ? -1 : 0;
}

static int by_region_code(const void *a, const void *b)
{
    return strcmp(((const oasis_region *)a)->code, ((const oasis_region *)b)->code);
}

/* The distinct régions of the table, each with its fold key. */
static int collect_regions(int lineno)
{
    for (size_t i = 0; i < g_count; i++) {
        size_t r = 0;
        while (r < g_region_count && strcmp(g_regions[r].code, g_depts[i].region_code))
            r++;
        if (r < g_region_count) {
            if (strcmp(g_regions[r].name, g_depts[i].region_name))
                return fail(OASIS_EFORMAT, lineno, "one région code with two names");
            continue;
        }
        g_regions[g_region_count++] = (oasis_region){g_depts[i].region_code, g_depts[i].region_name};
    }
    qsort(g_regions, g_region_count, sizeof *g_regions, by_region_code);
    for (size_t r = 0; r < g_region_count; r++) {
        int rc = oa_fold_key(g_regions[r].name, strlen(g_regions[r].name), &g_region_keys[r]);
        if (rc) {
            g_region_count = r; /* the keys made so far are released */
            return fail(rc, lineno, "région name cannot be folded");
        }
    }
    return 0;
}

static int parse_table(void)
{
    size_t len = strlen(oa_departements_tsv);
    g_data = malloc(len + 1);
    if (!g_data)
        return fail(OASIS_ENOMEM, 0, "out of memory");
    memcpy(g_data, oa_departements_tsv, len + 1);

    int lineno = 0, header = 0;
    char *next = g_data;
    while (next && *next) {
        char *line = next;
        char *nl = strchr(line, '\n');
        next = nl ? nl + 1 : NULL;
        if (nl)
            *nl = '\0';
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (line[0] == '#' || ll == 0)
            continue;
        char *f[4];
        if (split_tabs(line, f, 4) != 4)
            return fail(OASIS_EFORMAT, lineno, "expected 4 tab-separated fields");
        if (!header) {
            if (strcmp(f[0], "code") || strcmp(f[1], "name") || strcmp(f[2], "region_code") ||
                strcmp(f[3], "region_name"))
                return fail(OASIS_EFORMAT, lineno, "bad header");
            header = 1;
            continue;
        }
        if (!*f[0] || !*f[1] || !*f[2] || !*f[3])
            return fail(OASIS_EFORMAT, lineno, "empty field");
        if (g_count == MAX_DEPTS)
            return fail(OASIS_EFORMAT, lineno, "too many rows");
        for (size_t i = 0; i < g_count; i++)
            if (!strcmp(g_depts[i].code, f[0]))
                return fail(OASIS_EFORMAT, lineno, "duplicate code");
        char *key;
        int rc = oa_fold_key(f[1], strlen(f[1]), &key);
        if (rc)
            return fail(rc, lineno, "name cannot be folded");
        size_t i = g_count++;
        g_depts[i] = (oasis_departement){f[0], f[1], f[2], f[3]};
        g_keys[i] = key;
        g_key_len[i] = strlen(key);
        g_by_len[i] = i;
        /* "La Réunion" is often written "Réunion". */
        g_alias[i] = NULL;
        static const char *const articles[] = {"la ", "le ", "les "};
        for (size_t a = 0; a < sizeof articles / sizeof *articles; a++)
            if (!strncmp(key, articles[a], strlen(articles[a])))
                g_alias[i] = key + strlen(articles[a]);
        size_t w = count_words(key);
        if (w > g_max_words)
            g_max_words = w;
    }
    if (!header || g_count == 0)
        return fail(OASIS_EFORMAT, lineno, "no rows");
    qsort(g_by_len, g_count, sizeof *g_by_len, by_len_desc);
    return collect_regions(lineno);
}

static void init_once(void)
{
    g_rc = parse_table();
}

int oa_departements_init(void)
{
    pthread_once(&g_once, init_once);
    if (g_rc)
        return oa_error(g_rc, "%s", g_msg);
    return 0;
}

/* "1", "01", "2a", "974": the key of a code, or -1 when key is not one. */
static long find_code(const char *key, size_t len)
{
    char code[4];
    if (len == 1 && key[0] >= '0' && key[0] <= '9') {
        code[0] = '0';
        code[1] = key[0];
        code[2] = '\0';
    } else if (len == 2 || len == 3) {
        for (size_t i = 0; i < len; i++) {
            char c = key[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            code[i] = c;
        }
        code[len] = '\0';
    } else {
        return -1;
    }
    for (size_t i = 0; i < g_count; i++)
        if (!strcmp(g_depts[i].code, code))
            return (long)i;
    return -1;
}

/* The entry whose folded name (or code) is exactly key[0..len). */
static const oasis_departement *find_key(const char *key, size_t len)
{
    if (len == 0)
        return NULL;
    if (key[0] >= '0' && key[0] <= '9') {
        long i = find_code(key, len);
        return i < 0 ? NULL : &g_depts[i];
    }
    for (size_t i = 0; i < g_count; i++) {
        if (g_key_len[i] == len && !memcmp(g_keys[i], key, len))
            return &g_depts[i];
        if (g_alias[i] && strlen(g_alias[i]) == len && !memcmp(g_alias[i], key, len))
            return &g_depts[i];
    }
    return NULL;
}

const oasis_departement *oa_departement_find(const char *s, size_t len)
{
    if (!s || oa_departements_init())
        return NULL;
    char *key;
    if (oa_fold_key(s, len, &key))
        return NULL;
    const oasis_departement *d = find_key(key, strlen(key));
    free(key);
    return d;
}

static void add_unique(const oasis_departement *d, const oasis_departement **out, size_t max,
                       size_t *n)
{
    for (size_t i = 0; i < *n; i++)
        if (out[i] == d)
            return;
    if (*n < max)
        out[(*n)++] = d;
}

/* Resolves the folded part key[0..len): at each word, the longest run of
 * words that names a département; "et" between names joins them. Returns
 * 1 when every word found a home. */
static int resolve_words(const char *key, size_t len, const oasis_departement **out, size_t max,
                         size_t *n)
{
    int all = 1;
    size_t p = 0;
    while (p < len) {
        size_t wend = p;
        while (wend < len && key[wend] != ' ')
            wend++;
        if (wend - p == 2 && !memcmp(key + p, "et", 2)) {
            p = wend + 1;
            continue;
        }
        /* Ends of the next g_max_words words, tried from the longest. */
        size_t ends[16];
        size_t ne = 0, e = p;
        while (e < len && ne < g_max_words && ne < 16) {
            while (e < len && key[e] != ' ')
                e++;
            ends[ne++] = e;
            e++;
        }
        const oasis_departement *d = NULL;
        size_t k = ne;
        while (k > 0 && !d) {
            k--;
            d = find_key(key + p, ends[k] - p);
        }
        if (d) {
            add_unique(d, out, max, n);
            p = ends[k] + 1;
        } else {
            all = 0;
            p = wend + 1;
        }
    }
    return all;
}

int oa_departement_resolve_label(const char *label, size_t len, const oasis_departement **out,
                                 size_t max, size_t *n)
{
    *n = 0;
    int rc = oa_departements_init();
    if (rc)
        return rc;
    size_t start = 0;
    int missing = 0;
    while (start <= len) {
        size_t end = start;
        while (end < len && !strchr("&,/;", label[end]))
            end++;
        char *key;
        rc = oa_fold_key(label + start, end - start, &key);
        if (rc)
            return rc;
        if (!resolve_words(key, strlen(key), out, max, n) && !missing) {
            /* Name the first part that failed, as it was written. */
            size_t a = start, b = end;
            while (a < b && (label[a] == ' ' || label[a] == '\t'))
                a++;
            while (b > a && (label[b - 1] == ' ' || label[b - 1] == '\t'))
                b--;
            oa_error(OASIS_ENOTFOUND, "unknown département '%.*s'", (int)(b - a), label + a);
            missing = 1;
        }
        free(key);
        start = end + 1;
    }
    return missing ? OASIS_ENOTFOUND : 0;
}

size_t oa_departement_scan(const char *text, size_t len, const oasis_departement **out,
                           size_t max)
{
    if (!text || oa_departements_init())
        return 0;
    char *key;
    if (oa_fold_key(text, len, &key))
        return 0;
    size_t kl = strlen(key), n = 0, p = 0;
    while (p < kl) {
        size_t hit = 0;
        for (size_t j = 0; j < g_count && !hit; j++) {
            size_t i = g_by_len[j], l = g_key_len[i];
            if (p + l <= kl && !memcmp(key + p, g_keys[i], l) && (p + l == kl || key[p + l] == ' ')) {
                add_unique(&g_depts[i], out, max, &n);
                hit = l;
            }
        }
        if (!hit)
            while (p + hit < kl && key[p + hit] != ' ')
                hit++;
        p += hit + 1;
    }
    free(key);
    return n;
}

const oasis_departement *oasis_departement_find(const char *code_or_name)
{
    if (!code_or_name)
        return NULL;
    size_t len = strlen(code_or_name);
    while (len && (code_or_name[0] == ' ' || code_or_name[0] == '\t')) {
        code_or_name++;
        len--;
    }
    while (len && (code_or_name[len - 1] == ' ' || code_or_name[len - 1] == '\t'))
        len--;
    return oa_departement_find(code_or_name, len);
}

size_t oasis_departement_count(void)
{
    return oa_departements_init() ? 0 : g_count;
}

const oasis_departement *oasis_departement_at(size_t i)
{
    if (oa_departements_init() || i >= g_count)
        return NULL;
    return &g_depts[i];
}

const oasis_region *oa_region_find(const char *s, size_t len)
{
    if (!s || oa_departements_init())
        return NULL;
    char *key;
    if (oa_fold_key(s, len, &key))
        return NULL;
    const oasis_region *found = NULL;
    for (size_t r = 0; r < g_region_count && !found; r++) {
        /* A code as written ("24", "1" for "01"), or the name in any form. */
        const char *code = g_regions[r].code;
        if (!strcmp(key, code) || !strcmp(key, g_region_keys[r]) ||
            (code[0] == '0' && !strcmp(key, code + 1)))
            found = &g_regions[r];
    }
    free(key);
    return found;
}

const oasis_region *oasis_region_find(const char *code_or_name)
{
    return code_or_name ? oa_region_find(code_or_name, strlen(code_or_name)) : NULL;
}

size_t oasis_region_count(void)
{
    return oa_departements_init() ? 0 : g_region_count;
}

const oasis_region *oasis_region_at(size_t i)
{
    if (oa_departements_init() || i >= g_region_count)
        return NULL;
    return &g_regions[i];
}
