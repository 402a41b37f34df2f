/* Build-time generator: turns the tables of corpus/ into C sources that the
 * library uses as they are, so that no process parses, folds or analyses
 * them at run time.
 *
 *   oasis_gen_tables departements corpus/departements.tsv OUT.c
 *   oasis_gen_tables synonyms corpus/synonyms.tsv OUT.c
 *   oasis_gen_tables placenames corpus/place-names.tsv OUT.c
 *
 * It is built from the library's own analyzer sources (src/analysis), so the
 * fold keys and the analysed synonyms are what the library would compute
 * itself; tests/unit/taxonomy/test_tables.c checks that they still are. A
 * malformed table fails the build with its line. Exit status 0, or 1 with a
 * message. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analyzer.h"
#include "taxonomy/departements_table.h"
#include "oasis.h"
#include "util/error.h"
#include "util/tsv.h"

static const char *g_table = "table";
static char g_tmp[4096]; /* the output being written, removed on failure */

static void die(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "oasis_gen_tables: %s line %d: ", g_table, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (g_tmp[0])
        remove(g_tmp);
    exit(1);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    for (size_t r; s && (r = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (n + 1 == cap)
            s = realloc(s, cap *= 2);
    }
    fclose(f);
    if (!s)
        die(0, "out of memory");
    s[n] = '\0';
    return s;
}

/* s as a C string literal (bytes above 0x7f as octal escapes). */
static void put_str(FILE *o, const char *s)
{
    fputc('"', o);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(o, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(o, "\\%03o", *p);
        else
            fputc(*p, o);
    }
    fputc('"', o);
}

static char *fold(const char *s, int line)
{
    char *k;
    if (oa_fold_key(s, strlen(s), &k))
        die(line, "cannot fold '%s': %s", s, oa_error_message());
    return k;
}

/* ---- Départements -------------------------------------------------------- */

#define MAX_DEPTS 128

typedef struct dept {
    char *code, *name, *region_code, *region_name, *key;
    int alias; /* offset of the key without its article, or -1 */
} dept;

typedef struct region {
    char *code, *name, *key;
} region;

static dept g_d[MAX_DEPTS];
static size_t g_nd;
static region g_r[MAX_DEPTS];
static size_t g_nr;

static int by_len_desc(const void *a, const void *b)
{
    size_t la = strlen(g_d[*(const size_t *)a].key), lb = strlen(g_d[*(const size_t *)b].key);
    /* Longest first; equal lengths keep table order (qsort is not stable). */
    if (la != lb)
        return la < lb ? 1 : -1;
    size_t ia = *(const size_t *)a, ib = *(const size_t *)b;
    return ia < ib ? -1 : ia > ib;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const region *)a)->code, ((const region *)b)->code);
}

/* The slot of a canonical code in the code index (departements_table.h). */
static int code_slot(const char *c)
{
    size_t n = strlen(c);
    if (n == 2 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9')
        return (c[0] - '0') * 10 + (c[1] - '0');
    if (n == 2 && c[0] == '2' && (c[1] == 'A' || c[1] == 'B'))
        return 100 + (c[1] - 'A');
    if (n == 3 && c[0] == '9' && c[1] == '7' && c[2] >= '0' && c[2] <= '9')
        return 102 + (c[2] - '0');
    return -1;
}

/* The next data row of a four-column table, split into f: skips blank and
 * '#' lines and the header row, which must name the columns names (*header
 * says it was seen); *lineno counts the lines read. 0 at the end. */
static int next_row(char **next, int *lineno, int *header, const char *const names[4],
                    char *f[4])
{
    char *line;
    while ((line = oa_tsv_next_line(next)) != NULL) {
        ++*lineno;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (oa_tsv_split(line, f, 4) != 4)
            die(*lineno, "expected 4 tab-separated fields");
        if (*header)
            return 1;
        for (int i = 0; i < 4; i++)
            if (strcmp(f[i], names[i]))
                die(*lineno, "bad header");
        *header = 1;
    }
    return 0;
}

static void gen_departements(char *text, FILE *o, const char *src)
{
    static const char *const names[4] = {"code", "name", "region_code", "region_name"};
    int lineno = 0, header = 0;
    char *next = text, *f[4];
    while (next_row(&next, &lineno, &header, names, f)) {
        if (!*f[0] || !*f[1] || !*f[2] || !*f[3])
            die(lineno, "empty field");
        if (g_nd == MAX_DEPTS)
            die(lineno, "too many rows");
        if (code_slot(f[0]) < 0)
            die(lineno, "code '%s' is not two digits, 2A, 2B or 97x", f[0]);
        for (size_t i = 0; i < g_nd; i++)
            if (!strcmp(g_d[i].code, f[0]))
                die(lineno, "duplicate code");
        dept *d = &g_d[g_nd++];
        *d = (dept){f[0], f[1], f[2], f[3], fold(f[1], lineno), -1};
        /* "La Réunion" is often written "Réunion". */
        static const char *const articles[] = {"la ", "le ", "les "};
        for (size_t a = 0; a < sizeof articles / sizeof *articles; a++)
            if (!strncmp(d->key, articles[a], strlen(articles[a])))
                d->alias = (int)strlen(articles[a]);
        size_t r = 0;
        while (r < g_nr && strcmp(g_r[r].code, d->region_code))
            r++;
        if (r < g_nr) {
            if (strcmp(g_r[r].name, d->region_name))
                die(lineno, "one région code with two names");
        } else {
            g_r[g_nr++] = (region){d->region_code, d->region_name, fold(d->region_name, lineno)};
        }
    }
    if (!header || g_nd == 0)
        die(lineno, "no rows");
    qsort(g_r, g_nr, sizeof *g_r, by_code);
    size_t by_len[MAX_DEPTS], max_words = 0;
    for (size_t i = 0; i < g_nd; i++) {
        by_len[i] = i;
        size_t w = 1;
        for (const char *p = g_d[i].key; *p; p++)
            w += *p == ' ';
        if (w > max_words)
            max_words = w;
    }
    qsort(by_len, g_nd, sizeof *by_len, by_len_desc);
    int slots[OA_DEPT_CODE_SLOTS];
    for (size_t s = 0; s < OA_DEPT_CODE_SLOTS; s++)
        slots[s] = 0;
    for (size_t i = 0; i < g_nd; i++)
        slots[code_slot(g_d[i].code)] = (int)i + 1;

    fprintf(o, "/* Generated from %s by tools/gen_tables.c; do not edit. */\n", src);
    fprintf(o, "#include \"taxonomy/departements_table.h\"\n\n");
    fprintf(o, "const oasis_departement oa_dept_table[] = {\n");
    for (size_t i = 0; i < g_nd; i++) {
        fprintf(o, "    {");
        put_str(o, g_d[i].code);
        fprintf(o, ", ");
        put_str(o, g_d[i].name);
        fprintf(o, ", ");
        put_str(o, g_d[i].region_code);
        fprintf(o, ", ");
        put_str(o, g_d[i].region_name);
        fprintf(o, "},\n");
    }
    fprintf(o, "};\nconst oa_dept_key oa_dept_keys[] = {\n");
    for (size_t i = 0; i < g_nd; i++) {
        fprintf(o, "    {");
        put_str(o, g_d[i].key);
        fprintf(o, ", %zu, %d},\n", strlen(g_d[i].key), g_d[i].alias);
    }
    fprintf(o, "};\nconst unsigned char oa_dept_by_len[] = {");
    for (size_t i = 0; i < g_nd; i++)
        fprintf(o, "%s%zu", !i ? "\n    " : i % 16 ? ", " : ",\n    ", by_len[i]);
    fprintf(o, "};\nconst unsigned char oa_dept_code_slots[OA_DEPT_CODE_SLOTS] = {");
    for (size_t s = 0; s < OA_DEPT_CODE_SLOTS; s++)
        fprintf(o, "%s%d", !s ? "\n    " : s % 16 ? ", " : ",\n    ", slots[s]);
    fprintf(o, "};\nconst size_t oa_dept_count = %zu;\n", g_nd);
    fprintf(o, "const size_t oa_dept_max_words = %zu;\n\n", max_words);
    fprintf(o, "const oasis_region oa_region_table[] = {\n");
    for (size_t r = 0; r < g_nr; r++) {
        fprintf(o, "    {");
        put_str(o, g_r[r].code);
        fprintf(o, ", ");
        put_str(o, g_r[r].name);
        fprintf(o, "},\n");
    }
    fprintf(o, "};\nconst char *const oa_region_keys[] = {\n");
    for (size_t r = 0; r < g_nr; r++) {
        fprintf(o, "    ");
        put_str(o, g_r[r].key);
        fprintf(o, ",\n");
    }
    fprintf(o, "};\nconst size_t oa_region_count = %zu;\n", g_nr);
    for (size_t i = 0; i < g_nd; i++)
        free(g_d[i].key);
    for (size_t r = 0; r < g_nr; r++)
        free(g_r[r].key);
}

/* ---- Synonyms ------------------------------------------------------------ */

/* One expression, analysed as src/search/synonyms.c does (expr_init). */
static void put_expr(FILE *o, oa_analyzer *a, const char *text, size_t len, size_t id,
                     int lineno, size_t *n_out)
{
    oa_tokens toks = OA_TOKENS_INIT;
    if (oa_analyze(a, text, len, 0, &toks))
        die(lineno, "%s", oa_error_message());
    const char **term = calloc(toks.n + 1, sizeof *term), **alt = calloc(toks.n + 1, sizeof *alt);
    if (!term || !alt)
        die(lineno, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < toks.n; i++) {
        if (toks.v[i].compound)
            continue;
        if (toks.v[i].alt) {
            if (n && !alt[n - 1])
                alt[n - 1] = toks.v[i].term;
            continue;
        }
        term[n++] = toks.v[i].term;
    }
    if (n == 0)
        die(lineno, "an expression has no word");
    fprintf(o, "static char x%zu_text[] = ", id);
    char *t = malloc(len + 1);
    if (!t)
        die(lineno, "out of memory");
    memcpy(t, text, len);
    t[len] = '\0';
    put_str(o, t);
    free(t);
    fprintf(o, ";\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(o, "static char x%zu_t%zu[] = ", id, i);
        put_str(o, term[i]);
        fprintf(o, ";\n");
        if (alt[i]) {
            fprintf(o, "static char x%zu_a%zu[] = ", id, i);
            put_str(o, alt[i]);
            fprintf(o, ";\n");
        }
    }
    fprintf(o, "static char *x%zu_term[] = {", id);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%sx%zu_t%zu", i ? ", " : "", id, i);
    fprintf(o, "};\nstatic char *x%zu_alt[] = {", id);
    for (size_t i = 0; i < n; i++)
        if (alt[i])
            fprintf(o, "%sx%zu_a%zu", i ? ", " : "", id, i);
        else
            fprintf(o, "%sNULL", i ? ", " : "");
    fprintf(o, "};\n");
    *n_out = n;
    free(term);
    free(alt);
    oa_tokens_free(&toks);
}

static void gen_synonyms(char *text, FILE *o, const char *src)
{
    oa_analyzer *a;
    if (oa_analyzer_new(&a))
        die(0, "%s", oa_error_message());
    fprintf(o, "/* Generated from %s by tools/gen_tables.c; do not edit. */\n", src);
    fprintf(o, "#include <stddef.h>\n\n#include \"search/synonyms_table.h\"\n\n");
    /* Per expression: words, group, preferred. */
    size_t cap = 256, count = 0, *words = malloc(cap * sizeof *words),
           *group = malloc(cap * sizeof *group);
    int *pref = malloc(cap * sizeof *pref);
    if (!words || !group || !pref)
        die(0, "out of memory");
    size_t g = 0;
    int lineno = 0;
    char *next = text, *line;
    while ((line = oa_tsv_next_line(&next)) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\0')
            continue;
        size_t exprs = 0;
        for (const char *f = line;;) {
            const char *tab = strchr(f, '\t');
            size_t len = tab ? (size_t)(tab - f) : strlen(f);
            if (count == cap) {
                cap *= 2;
                words = realloc(words, cap * sizeof *words);
                group = realloc(group, cap * sizeof *group);
                pref = realloc(pref, cap * sizeof *pref);
                if (!words || !group || !pref)
                    die(lineno, "out of memory");
            }
            put_expr(o, a, f, len, count, lineno, &words[count]);
            group[count] = g;
            pref[count] = exprs == 0;
            count++;
            exprs++;
            if (!tab)
                break;
            f = tab + 1;
        }
        if (exprs < 2)
            die(lineno, "fewer than two expressions");
        g++;
    }
    fprintf(o, "\noa_syn_expr oa_synonyms_table[] = {\n");
    for (size_t i = 0; i < count; i++)
        fprintf(o, "    {x%zu_text, x%zu_term, x%zu_alt, %zu, %zu, %d},\n", i, i, i, words[i],
                group[i], pref[i]);
    if (count == 0)
        fprintf(o, "    {NULL, NULL, NULL, 0, 0, 0},\n");
    fprintf(o, "};\nconst size_t oa_synonyms_table_size = %zu;\n", count);
    free(words);
    free(group);
    free(pref);
    oa_analyzer_free(a);
}

/* ---- Other names of places -------------------------------------------- */

/* corpus/place-names.tsv: name, kind (region or departement), code,
 * common (0 or 1), into oa_place_names[] with the names' fold keys. The
 * codes are checked against the département table by the tests
 * (tests/unit/taxonomy/test_taxonomy.c), which this program does not
 * read. */
static void gen_placenames(char *text, FILE *o, const char *src)
{
    static const char *const names[4] = {"name", "kind", "code", "common"};
    int lineno = 0, header = 0;
    size_t n = 0;
    char *next = text, *f[4];
    fprintf(o, "/* Generated from %s by tools/gen_tables.c; do not edit. */\n", src);
    fprintf(o, "#include \"taxonomy/departements_table.h\"\n\n");
    fprintf(o, "const oa_place_name oa_place_names[] = {\n");
    while (next_row(&next, &lineno, &header, names, f)) {
        int is_region = !strcmp(f[1], "region");
        if (!is_region && strcmp(f[1], "departement"))
            die(lineno, "kind '%s' is neither region nor departement", f[1]);
        if (!*f[0] || !*f[2])
            die(lineno, "empty field");
        if (strcmp(f[3], "0") && strcmp(f[3], "1"))
            die(lineno, "common '%s' is not 0 or 1", f[3]);
        char *key = fold(f[0], lineno);
        if (!*key)
            die(lineno, "'%s' has no letters", f[0]);
        fprintf(o, "    {");
        put_str(o, key);
        fprintf(o, ", %zu, %d, ", strlen(key), is_region);
        put_str(o, f[2]);
        fprintf(o, ", %s},\n", f[3]);
        free(key);
        n++;
    }
    if (!header)
        die(lineno, "no header");
    if (n == 0)
        fprintf(o, "    {\"\", 0, 0, \"\", 0},\n");
    fprintf(o, "};\nconst size_t oa_place_name_count = %zu;\n", n);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: oasis_gen_tables departements|synonyms|placenames INPUT.tsv OUTPUT.c\n");
        return 2;
    }
    g_table = argv[2];
    char *text = read_all(argv[2]);
    snprintf(g_tmp, sizeof g_tmp, "%s.tmp", argv[3]);
    FILE *o = fopen(g_tmp, "w");
    if (!o) {
        perror(g_tmp);
        return 1;
    }
    /* The source named in the header comment: the file name only, so the
     * output does not depend on where the tree is. */
    const char *base = strrchr(argv[2], '/');
    base = base ? base + 1 : argv[2];
    if (!strcmp(argv[1], "departements"))
        gen_departements(text, o, base);
    else if (!strcmp(argv[1], "synonyms"))
        gen_synonyms(text, o, base);
    else if (!strcmp(argv[1], "placenames"))
        gen_placenames(text, o, base);
    else
        die(0, "unknown table kind '%s'", argv[1]);
    if (fclose(o) || rename(g_tmp, argv[3])) {
        perror(argv[3]);
        return 1;
    }
    free(text);
    return 0;
}
