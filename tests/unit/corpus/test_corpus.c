/* Corpus readers: format detection, the records and listing files of the
 * corpus, JSON Lines, warnings and their lines. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corpus/reader.h"
#include "oasis.h"
#include "testutil.h"

#define MAX_DOCS 64
#define MAX_WARNINGS 64

typedef struct got_doc {
    char *id, *title, *text, *file;
    char codes[256];      /* "54,88" */
    char categories[256]; /* "a,b" */
    long line;
} got_doc;

typedef struct got {
    got_doc docs[MAX_DOCS];
    size_t n;
    long warn_line[MAX_WARNINGS];
    char *warn_msg[MAX_WARNINGS];
    size_t n_warn;
    size_t stop_after; /* emit returns 7 after this many; 0: never */
} got;

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void join(char *out, size_t cap, const char *const *v, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, v[i], cap - strlen(out) - 1);
    }
}

static int collect(void *ud, const oasis_doc *d)
{
    got *g = ud;
    assert_true(g->n < MAX_DOCS);
    got_doc *o = &g->docs[g->n++];
    o->id = dup_or_null(d->id);
    o->title = dup_or_null(d->title);
    o->text = dup_or_null(d->text);
    o->file = dup_or_null(d->source_file);
    join(o->codes, sizeof o->codes, d->departements, d->n_departements);
    join(o->categories, sizeof o->categories, d->categories, d->n_categories);
    o->line = d->source_line;
    return g->stop_after && g->n >= g->stop_after ? 7 : 0;
}

static void on_warning(void *ud, const char *file, long line, const char *msg)
{
    got *g = ud;
    assert_non_null(file);
    assert_true(g->n_warn < MAX_WARNINGS);
    g->warn_line[g->n_warn] = line;
    g->warn_msg[g->n_warn++] = strdup(msg);
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->docs[i].id);
        free(g->docs[i].title);
        free(g->docs[i].text);
        free(g->docs[i].file);
    }
    for (size_t i = 0; i < g->n_warn; i++)
        free(g->warn_msg[i]);
    memset(g, 0, sizeof *g);
}

static got *got_new(void)
{
    got *g = calloc(1, sizeof *g);
    assert_non_null(g);
    return g;
}

static void got_delete(got *g)
{
    got_free(g);
    free(g);
}

static oa_reader reader_for(got *g, const char *file)
{
    oa_reader r = {file, collect, g, on_warning, g, 0, 0};
    return r;
}

/* Reads a source file through oa_read_buffer into g; returns the reader. */
static oa_reader read_source(got *g, const char *rel)
{
    size_t len;
    char *buf = t_read_file(t_source_path(rel), &len);
    oa_reader r = reader_for(g, rel);
    int rc = oa_read_buffer(&r, buf, len);
    if (rc)
        fail_msg("%s: %d %s", rel, rc, oasis_error_last());
    free(buf);
    return r;
}

static const char *text_of(const got_doc *d)
{
    return d->text ? d->text : "";
}

/* The rows "title<TAB>codes<TAB>line" of an expected-results file match the
 * records in order. */
static void check_table(const got *g, const char *rel)
{
    char *data = t_read_file(t_source_path(rel), NULL);
    size_t i = 0;
    char *cursor = data, *line;
    while ((line = t_next_row(&cursor, NULL)) != NULL) {
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        assert_non_null(t2);
        *t1 = *t2 = '\0';
        if (i >= g->n)
            fail_msg("%s: missing record '%s'", rel, line);
        const got_doc *d = &g->docs[i];
        if (!d->title || strcmp(d->title, line))
            fail_msg("%s row %zu: title '%s', expected '%s'", rel, i + 1,
                     d->title ? d->title : "(null)", line);
        if (strcmp(d->codes, t1 + 1))
            fail_msg("%s row %zu: codes '%s', expected '%s'", rel, i + 1, d->codes, t1 + 1);
        if (d->line != atol(t2 + 1))
            fail_msg("%s row %zu: line %ld, expected %s", rel, i + 1, d->line, t2 + 1);
        i++;
    }
    free(data);
    assert_int_equal(i, g->n);
}

static void test_detect(void **state)
{
    (void)state;
    static const struct {
        const char *rel;
        oa_format f;
    } files[] = {
        {"corpus/records-departements-initiatives.txt", OA_FORMAT_RECORDS},
        {"corpus/listing-departements-initiatives.txt", OA_FORMAT_LISTING},
        {"tests/data/corpus_sample.jsonl", OA_FORMAT_JSONL},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        size_t len;
        char *buf = t_read_file(t_source_path(files[i].rel), &len);
        assert_int_equal(oa_detect_format(buf, len), files[i].f);
        free(buf);
    }
    static const struct {
        const char *text;
        oa_format f;
    } bufs[] = {
        {"", OA_FORMAT_UNKNOWN},
        {"\n\n  \n", OA_FORMAT_UNKNOWN},
        {"bonjour\nle monde\n", OA_FORMAT_UNKNOWN},
        {"\xef\xbb\xbf\n  {\"title\":\"x\"}\r\n", OA_FORMAT_JSONL},
        {"\xef\xbb\xbf" "45. Loiret\r\nTitre\r\n", OA_FORMAT_RECORDS},
        {"45. Loiret\n", OA_FORMAT_UNKNOWN},             /* no title line */
        {"45. Atlantide\nTitre\n", OA_FORMAT_UNKNOWN},   /* no département */
        {"99. Nulle part\nTitre\n", OA_FORMAT_RECORDS},  /* an unknown one */
        {"99. Nulle part\n", OA_FORMAT_UNKNOWN},          /* no title line */
        {"99. Une phrase, pas un nom\nTitre\n", OA_FORMAT_UNKNOWN},
        {"Intro.\n[Vosges] Titre. Texte.\n", OA_FORMAT_LISTING},
        {"Voir la note [sic] et [Atlantide] ici.\n", OA_FORMAT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
        if (oa_detect_format(bufs[i].text, strlen(bufs[i].text)) != bufs[i].f)
            fail_msg("buffer %zu: expected %s", i, oa_format_name(bufs[i].f));
    assert_string_equal(oa_format_name(OA_FORMAT_RECORDS), "records");
    assert_string_equal(oa_format_name(OA_FORMAT_LISTING), "listing");
    assert_string_equal(oa_format_name(OA_FORMAT_JSONL), "jsonl");
    assert_string_equal(oa_format_name(OA_FORMAT_UNKNOWN), "unknown");

    got *g = got_new();
    oa_reader r = reader_for(g, "x");
    assert_int_equal(oa_read_buffer(&r, "bonjour\n", 8), OASIS_EFORMAT);
    got_delete(g);
}

static void test_records(void **state)
{
    (void)state;
    got *g = got_new();
    oa_reader r = read_source(g, "corpus/records-departements-initiatives.txt");
    assert_int_equal(g->n, 4);
    check_table(g, "tests/data/corpus_records_expected.tsv");
    assert_int_equal(r.warnings, 0);
    assert_int_equal(r.skipped, 0);
    for (size_t i = 0; i < g->n; i++) {
        assert_null(g->docs[i].id);
        assert_string_equal(g->docs[i].file, "corpus/records-departements-initiatives.txt");
    }
    /* Lines that start with a number stay in the body, as whole lines. */
    const char *loiret = text_of(&g->docs[1]);
    assert_non_null(strstr(loiret, "\n100 étudiants et professionnels orientés"));
    assert_non_null(strstr(loiret, "\n42 étudiants boursiers en 2023"));
    assert_true(!strncmp(loiret, "Vote de 2,1 M€", strlen("Vote de 2,1 M€")));
    assert_non_null(strstr(loiret, "de bourses étudiantes prévues en 2024."));
    assert_true(!strncmp(text_of(&g->docs[0]), "Le Département de l’Ain organise",
                         strlen("Le Département de l’Ain organise")));
    assert_non_null(strstr(text_of(&g->docs[3]), "démontré un réel besoin."));
    got_delete(g);
}

/* The same file with CRLF line ends and a BOM reads the same. */
static void crlf_same(const char *rel, size_t expect)
{
    size_t len;
    char *buf = t_read_file(t_source_path(rel), &len);
    char *crlf = malloc(2 * len + 4);
    assert_non_null(crlf);
    size_t n = 0;
    memcpy(crlf, "\xef\xbb\xbf", 3);
    n = 3;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n')
            crlf[n++] = '\r';
        crlf[n++] = buf[i];
    }
    got *a = got_new(), *b = got_new();
    oa_reader ra = reader_for(a, rel), rb = reader_for(b, rel);
    assert_int_equal(oa_read_buffer(&ra, buf, len), 0);
    assert_int_equal(oa_read_buffer(&rb, crlf, n), 0);
    assert_int_equal(a->n, expect);
    assert_int_equal(b->n, expect);
    assert_int_equal(rb.warnings, ra.warnings);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->docs[i].title, b->docs[i].title);
        assert_string_equal(text_of(&a->docs[i]), text_of(&b->docs[i]));
        assert_string_equal(a->docs[i].codes, b->docs[i].codes);
        assert_int_equal(a->docs[i].line, b->docs[i].line);
        assert_null(strchr(text_of(&b->docs[i]), '\r'));
    }
    got_delete(a);
    got_delete(b);
    free(crlf);
    free(buf);
}

static void test_crlf_bom(void **state)
{
    (void)state;
    crlf_same("corpus/records-departements-initiatives.txt", 4);
    crlf_same("corpus/listing-departements-initiatives.txt", 19);
}

static void test_records_warnings(void **state)
{
    (void)state;
    const char *text = "Préambule sans en-tête.\n"  /* 1: ignored, warned */
                       "\n"
                       "45. Ain\n"                  /* 3: code and name disagree */
                       "Titre de l'Ain\n"
                       "Corps.\n"
                       "99. Vosges\n"               /* 6: no such code */
                       "Titre vosgien\n"
                       "12. Atlantide\n"            /* 8: not a header: body */
                       "2A. Corse-du-Sud\n"         /* 9: no title */
                       "\n"
                       "2b. Haute-Corse\n"          /* 11 */
                       "Titre corse\n";
    got *g = got_new();
    oa_reader r = reader_for(g, "mem");
    assert_int_equal(oa_read_records(&r, text, strlen(text)), 0);
    assert_int_equal(g->n, 3);
    assert_string_equal(g->docs[0].codes, "01");
    assert_string_equal(g->docs[0].title, "Titre de l'Ain");
    assert_string_equal(g->docs[0].text, "Corps.");
    assert_int_equal(g->docs[0].line, 3);
    assert_string_equal(g->docs[1].codes, "88");
    assert_string_equal(g->docs[1].text, "12. Atlantide");
    assert_int_equal(g->docs[1].line, 6);
    assert_string_equal(g->docs[2].codes, "2B");
    assert_string_equal(g->docs[2].text, "");
    assert_int_equal(g->docs[2].line, 11);
    assert_int_equal(r.skipped, 1);
    assert_int_equal(r.warnings, 4);
    assert_int_equal(g->n_warn, 4);
    static const long lines[] = {1, 3, 6, 9};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(g->warn_line[i], lines[i]);
    assert_non_null(strstr(g->warn_msg[1], "'45'"));
    assert_non_null(strstr(g->warn_msg[3], "no title"));
    got_delete(g);
}

static void test_listing(void **state)
{
    (void)state;
    got *g = got_new();
    oa_reader r = read_source(g, "corpus/listing-departements-initiatives.txt");
    assert_int_equal(g->n, 19);
    check_table(g, "tests/data/corpus_listing_expected.tsv");
    assert_int_equal(r.warnings, 0);
    assert_int_equal(r.skipped, 0);

    size_t joint = 0, lot = 0;
    for (size_t i = 0; i < g->n; i++) {
        const got_doc *d = &g->docs[i];
        assert_null(d->id);
        if (strstr(d->codes, "54") || strstr(d->codes, "88")) {
            joint++;
            assert_string_equal(d->codes, "54,88");
        }
        if (!strcmp(d->codes, "47")) {
            lot++;
            assert_string_equal(d->text,
                                "La Commission départementale de la démographie médicale « Coddem » "
                                "est issue d’une réflexion globale, menée conjointement par le "
                                "Conseil départemental, la préfecture et la DDASS (ARS-DT47), face "
                                "au constat de départ suivant :");
        }
    }
    assert_int_equal(joint, 1);
    assert_int_equal(lot, 1);

    /* No page furniture became an initiative. */
    char *boiler = t_read_file(t_source_path("tests/data/corpus_listing_boilerplate.txt"), NULL);
    for (char *line = strtok(boiler, "\n"); line; line = strtok(NULL, "\n")) {
        if (*line == '#')
            continue;
        for (size_t i = 0; i < g->n; i++) {
            assert_string_not_equal(g->docs[i].title, line);
            assert_true(strncmp(text_of(&g->docs[i]), line, strlen(line)));
        }
    }
    free(boiler);

    /* The lead article: title from its heading, text the rest. */
    assert_true(!strncmp(g->docs[0].text, "Dans la recherche permanente",
                         strlen("Dans la recherche permanente")));
    assert_non_null(strstr(g->docs[0].text, "\nElle n'est pas vraiment nouvelle"));
    assert_null(strstr(g->docs[0].text, "Avec Païs"));
    /* A paragraph at the start of a line still belongs to the item before. */
    assert_non_null(strstr(g->docs[1].text, "\nRenforcer l’attractivité du territoire pour lutter"));
    assert_non_null(strstr(g->docs[1].text, "jusqu’au 30 juin."));
    /* Items with no teaser have no text; heading repeats are not text. */
    assert_string_equal(g->docs[2].text, "");
    assert_string_equal(g->docs[5].text, "");
    for (size_t i = 0; i < g->n; i++)
        assert_null(strstr(text_of(&g->docs[i]), "[Mayenne]"));
    got_delete(g);
}

/* One of the boilerplate lines (a file's text, one per line). */
static int is_boilerplate(const char *lines, const char *s, size_t n)
{
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        if (*p != '#' && l == n && !memcmp(p, s, n))
            return 1;
        p += l + (nl ? 1 : 0);
    }
    return 0;
}

/* Every sentence of the source is in exactly one initiative. Returns 1
 * when s was a sentence to check. */
static int check_sentence(const got *g, const char *rel, const char *boiler, const char *s,
                           size_t n)
{
    while (n && strchr(" \t\r", *s)) {
        s++;
        n--;
    }
    if (n && *s == '[') {
        const char *close = memchr(s, ']', n);
        if (close) {
            n -= (size_t)(close + 1 - s);
            s = close + 1;
        }
        while (n && *s == ' ') {
            s++;
            n--;
        }
    }
    while (n && strchr(" \t\r.?!:;", s[n - 1]))
        n--;
    if (n < 12 || is_boilerplate(boiler, s, n))
        return 0;
    char *piece = strndup(s, n);
    assert_non_null(piece);
    if (!oasis_departement_find(piece)) { /* a records header's name is no sentence */
        size_t in = 0;
        for (size_t i = 0; i < g->n; i++)
            in += (g->docs[i].title && strstr(g->docs[i].title, piece)) ||
                  strstr(text_of(&g->docs[i]), piece);
        if (in != 1)
            fail_msg("%s: '%s' is in %zu initiatives", rel, piece, in);
    }
    free(piece);
    return 1;
}

static void sentences_of(const char *rel, size_t expect, size_t min_checked)
{
    got *g = got_new();
    read_source(g, rel);
    assert_int_equal(g->n, expect);
    char *buf = t_read_file(t_source_path(rel), NULL);
    char *boiler = t_read_file(t_source_path("tests/data/corpus_listing_boilerplate.txt"), NULL);
    size_t checked = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        const char *start = line;
        for (const char *p = line;; p++) {
            int end = !*p;
            int cut_after = *p && strchr(".?!", *p) && p[1] == ' ';
            int cut_before = *p == '[' && p > start;
            if (end || cut_after || cut_before) {
                const char *stop = cut_after ? p + 1 : p;
                checked += (size_t)check_sentence(g, rel, boiler, start, (size_t)(stop - start));
                start = stop;
            }
            if (end)
                break;
        }
    }
    if (checked < min_checked)
        fail_msg("%s: only %zu sentences checked", rel, checked);
    free(boiler);
    free(buf);
    got_delete(g);
}

static void test_sentences(void **state)
{
    (void)state;
    sentences_of("corpus/records-departements-initiatives.txt", 4, 40);
    sentences_of("corpus/listing-departements-initiatives.txt", 19, 70);
}

static void test_listing_cases(void **state)
{
    (void)state;
    const char *text =
        "Menu\n"                                                         /* 1 */
        "Accueil Actualités\n"                                           /* 2 */
        "Un article sans crochets sur la Mayenne. Il continue ici.\n"   /* 3 */
        "Voir [sic] et [1] ou [Vosges]collé, puis [Atlantide] Titre inconnu. Teaser.\n" /* 4 */
        "[Vosges & Atlantide] Deux départements ? Suite du teaser [Cher] Court\n"     /* 5 */
        "Paragraphe du Cher.\n"                                          /* 6 */
        "[Atlantide] Titre inconnu.\n"                                   /* 7: heading */
        "Paragraphe de l'Atlantide [Lot et Garonne] Coddem.\n"           /* 8 */
        "[Cher] Court\n"                                                 /* 9: heading */
        "Encore du Cher.\n";                                             /* 10 */
    got *g = got_new();
    oa_reader r = reader_for(g, "mem");
    assert_int_equal(oa_read_listing(&r, text, strlen(text)), 0);
    assert_int_equal(g->n, 5);
    assert_string_equal(g->docs[0].title, "Un article sans crochets sur la Mayenne");
    assert_string_equal(g->docs[0].codes, "53");
    assert_string_equal(g->docs[0].text, "Il continue ici.\nVoir [sic] et [1] ou [Vosges]collé, puis");
    assert_int_equal(g->docs[0].line, 3);
    assert_string_equal(g->docs[1].title, "Titre inconnu");
    assert_string_equal(g->docs[1].codes, "");
    assert_string_equal(g->docs[1].text, "Teaser.\nParagraphe de l'Atlantide");
    assert_int_equal(g->docs[1].line, 4);
    assert_string_equal(g->docs[2].title, "Deux départements ?");
    assert_string_equal(g->docs[2].codes, "88");
    assert_string_equal(g->docs[2].text, "Suite du teaser");
    assert_int_equal(g->docs[2].line, 5);
    assert_string_equal(g->docs[3].title, "Court");
    assert_string_equal(g->docs[3].codes, "18");
    assert_string_equal(g->docs[3].text, "Paragraphe du Cher.\nEncore du Cher.");
    assert_string_equal(g->docs[4].title, "Coddem");
    assert_string_equal(g->docs[4].codes, "47");
    assert_string_equal(g->docs[4].text, "");
    assert_int_equal(g->docs[4].line, 8);
    assert_int_equal(r.warnings, 2);
    assert_int_equal(g->n_warn, 2);
    assert_int_equal(g->warn_line[0], 4);
    assert_string_equal(g->warn_msg[0], "unknown département 'Atlantide'");
    assert_int_equal(g->warn_line[1], 5);
    assert_string_equal(g->warn_msg[1], "unknown département 'Atlantide'");
    got_delete(g);
}

static void test_jsonl(void **state)
{
    (void)state;
    got *g = got_new();
    oa_reader r = read_source(g, "tests/data/corpus_sample.jsonl");
    assert_int_equal(g->n, 4);
    assert_int_equal(r.skipped, 5);
    assert_int_equal(r.warnings, 7);
    assert_int_equal(g->n_warn, 7);
    static const long lines[] = {4, 5, 5, 6, 7, 8, 11};
    for (size_t i = 0; i < 7; i++)
        if (g->warn_line[i] != lines[i])
            fail_msg("warning %zu at line %ld, expected %ld: %s", i, g->warn_line[i], lines[i],
                     g->warn_msg[i]);
    assert_string_equal(g->warn_msg[1], "no \"title\": indexed untitled");
    assert_string_equal(g->warn_msg[2], "unknown département 'Atlantide'");
    assert_non_null(strstr(g->warn_msg[0], "invalid json"));
    assert_non_null(strstr(g->warn_msg[3], "not a json object"));
    assert_non_null(strstr(g->warn_msg[4], "\"title\""));

    assert_string_equal(g->docs[0].id, "j1");
    assert_string_equal(g->docs[0].title, "Bus santé dans le Loiret");
    assert_string_equal(g->docs[0].text, "Un bus itinérant.");
    assert_string_equal(g->docs[0].codes, "45,41");
    assert_string_equal(g->docs[0].categories, "prevention,mobilite");
    assert_int_equal(g->docs[0].line, 1);
    assert_null(g->docs[1].id);
    assert_string_equal(g->docs[1].codes, "54,88");
    assert_int_equal(g->docs[1].line, 3);
    assert_string_equal(g->docs[2].id, "j5");
    assert_null(g->docs[2].title);
    assert_string_equal(g->docs[2].codes, "974");
    assert_int_equal(g->docs[2].line, 5);
    assert_string_equal(g->docs[3].id, "j10");
    assert_string_equal(g->docs[3].text, "");
    assert_string_equal(g->docs[3].codes, "");
    assert_string_equal(g->docs[3].categories, "");
    assert_int_equal(g->docs[3].line, 10);
    got_delete(g);
}

/* The records and warnings of a reader, against an expected-results file:
 * title<TAB>codes<TAB>line rows ("-" for no title), then after a line
 * "warnings", line<TAB>message rows, each in order and all of them. */
static void check_results(const got *g, const oa_reader *r, const char *rel)
{
    char *data = t_read_file(t_source_path(rel), NULL);
    size_t docs = 0, warns = 0;
    int in_warnings = 0;
    for (char *line = data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        if ((nl = strchr(line, '\n')))
            *nl = '\0';
        if (!*line || *line == '#')
            continue;
        if (!strcmp(line, "warnings")) {
            in_warnings = 1;
            continue;
        }
        char *t1 = strchr(line, '\t');
        assert_non_null(t1);
        *t1 = '\0';
        if (in_warnings) {
            if (warns >= g->n_warn)
                fail_msg("%s: missing warning at line %s: %s", rel, line, t1 + 1);
            if (g->warn_line[warns] != atol(line) || strcmp(g->warn_msg[warns], t1 + 1))
                fail_msg("%s: warning %zu: line %ld '%s', expected line %s '%s'", rel, warns + 1,
                         g->warn_line[warns], g->warn_msg[warns], line, t1 + 1);
            warns++;
            continue;
        }
        char *t2 = strchr(t1 + 1, '\t');
        assert_non_null(t2);
        *t2 = '\0';
        if (docs >= g->n)
            fail_msg("%s: missing record '%s'", rel, line);
        const got_doc *d = &g->docs[docs];
        const char *title = strcmp(line, "-") ? line : NULL;
        if ((title == NULL) != (d->title == NULL) || (title && strcmp(d->title, title)))
            fail_msg("%s: record %zu: title '%s', expected '%s'", rel, docs + 1,
                     d->title ? d->title : "(none)", line);
        if (strcmp(d->codes, t1 + 1))
            fail_msg("%s: record %zu: codes '%s', expected '%s'", rel, docs + 1, d->codes,
                     t1 + 1);
        if (d->line != atol(t2 + 1))
            fail_msg("%s: record %zu: line %ld, expected %s", rel, docs + 1, d->line, t2 + 1);
        docs++;
    }
    free(data);
    if (docs != g->n)
        fail_msg("%s: %zu records, expected %zu", rel, g->n, docs);
    if (warns != g->n_warn)
        fail_msg("%s: %zu warnings, expected %zu (the first unexpected: line %ld '%s')", rel,
                 g->n_warn, warns, g->warn_line[warns], g->warn_msg[warns]);
    assert_int_equal(r->warnings, warns);
}

/* Numbers as département codes, and records without a title. */
static void test_jsonl_departements(void **state)
{
    (void)state;
    got *g = got_new();
    oa_reader r = read_source(g, "tests/data/corpus_jsonl_departements.jsonl");
    check_results(g, &r, "tests/data/corpus_jsonl_departements_expected.tsv");
    assert_int_equal(r.skipped, 2);
    got_delete(g);
}

/* Records headers whose code and name name no département: records of an
 * unknown département, said so, not text before the first record or text
 * of the record above. Found as records even when no header resolves. */
static void test_records_unknown(void **state)
{
    (void)state;
    static const char *const files[] = {"tests/data/corpus_records_unknown.txt",
                                        "tests/data/corpus_records_unknown_only.txt"};
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *buf = t_read_file(t_source_path(files[i]), &len);
        assert_int_equal(oa_detect_format(buf, len), OA_FORMAT_RECORDS);
        free(buf);
        got *g = got_new();
        oa_reader r = read_source(g, files[i]);
        char expected[256];
        snprintf(expected, sizeof expected, "%.*s_expected.tsv", (int)(strlen(files[i]) - 4),
                 files[i]);
        check_results(g, &r, expected);
        assert_int_equal(r.skipped, i == 0 ? 1 : 0);
        got_delete(g);
    }
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *text = "01. Ain\nTitre \xff\n";
    int (*readers[])(oa_reader *, const char *, size_t) = {oa_read_buffer, oa_read_records,
                                                           oa_read_listing, oa_read_jsonl};
    for (size_t i = 0; i < 4; i++) {
        got *g = got_new();
        oa_reader r = reader_for(g, "mem");
        assert_int_equal(readers[i](&r, text, strlen(text)), OASIS_EFORMAT);
        assert_string_equal(oasis_error_last(), "invalid utf-8 at line 2, byte 14");
        assert_int_equal(g->n, 0);
        got_delete(g);
    }
}

static void test_emit_stops(void **state)
{
    (void)state;
    static const char *const files[] = {"corpus/records-departements-initiatives.txt",
                                        "corpus/listing-departements-initiatives.txt",
                                        "tests/data/corpus_sample.jsonl"};
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *buf = t_read_file(t_source_path(files[i]), &len);
        got *g = got_new();
        g->stop_after = 2;
        oa_reader r = reader_for(g, files[i]);
        assert_int_equal(oa_read_buffer(&r, buf, len), 7);
        assert_int_equal(g->n, 2);
        got_delete(g);
        free(buf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_records_warnings),
        cmocka_unit_test(test_records_unknown),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_listing_cases),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_departements),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_emit_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
