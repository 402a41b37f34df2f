/* The search page of oasis-serve over HTTP, without a browser: a real
 * server on a free loopback port, on an index of the corpus plus an
 * initiative whose strings must be escaped; each route of the page, its
 * state in the URL (links that toggle a filter, pages), its errors, its
 * assets, and the escaping of every text, in the HTML as sent. The page in
 * a browser is tests/browser/. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clitest.h"
#include "servetest.h"

static char *dir;
static char db[1024], corpus[1024];
static const char *index_bin, *query_bin, *serve_bin;
static st_server server;

static const char hostile_jsonl[] =
    "{\"id\":\"xss-1\",\"title\":\"<script>alert(1)</script> l'\\\"accueil\\\" & co\","
    "\"text\":\"\\\"><img src=x onerror=alert(2)> une maison de santé\","
    "\"departements\":[\"45\"],\"categories\":[\"logement\"]}\n";

static int setup(void **state)
{
    (void)state;
    dir = ct_setup(&index_bin, &query_bin);
    serve_bin = t_env("OASIS_SERVE_BIN");
    snprintf(db, sizeof db, "%s/oasis.db", dir);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    int rc = ct_index_corpus_plus(index_bin, db, corpus, "hostile.jsonl", hostile_jsonl);
    if (rc)
        return rc;
    char log[4300];
    snprintf(log, sizeof log, "%s/page.log", dir);
    server = st_start(serve_bin, db, log, NULL);
    return st_wait_health(&server, 200) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    int rc = st_stop(&server);
    t_rmtree(dir);
    free(dir);
    return rc == 0 ? 0 : -1;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* GET target on the server: the status must be status and the type
 * content_type; the reply is the caller's. */
static st_reply get(const char *target, int status, const char *content_type)
{
    st_reply r = st_get(server.port, target);
    if (r.status != status)
        fail_msg("GET %.80s: status %d, not %d", target, r.status, status);
    char v[1024];
    assert_non_null(st_header(&r, "Content-Type", v, sizeof v));
    assert_string_equal(v, content_type);
    assert_non_null(st_header(&r, "Content-Security-Policy", v, sizeof v));
    assert_null(strstr(v, "unsafe-inline"));
    return r;
}

static st_reply get_page(const char *target, int status)
{
    st_reply r = get(target, status, "text/html; charset=utf-8");
    assert_non_null(strstr(r.body, "<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert_non_null(strstr(r.body, "</html>\n"));
    assert_non_null(strstr(r.body, "<script src=\"/assets/app.js\" defer></script>"));
    assert_int_equal(count(r.body, "<script"), 1); /* no inline script */
    assert_null(strstr(r.body, "style=\""));      /* no inline style */
    return r;
}

static void expect_in(const st_reply *r, const char *what)
{
    if (!strstr(r->body, what))
        fail_msg("the page lacks: %s", what);
}

static void test_search_page(void **state)
{
    (void)state;
    st_reply r = get_page("/", 200);
    expect_in(&r, "<label for=\"q\">Rechercher une initiative</label>");
    expect_in(&r, "<form id=\"recherche\" class=\"recherche\" method=\"get\" action=\"/\"");
    assert_int_equal(count(r.body, "data-dept=\""), 101); /* the map */
    assert_int_equal(count(r.body, "<li><label><input type=\"checkbox\" form=\"recherche\" "
                                   "name=\"region\""),
                     count(r.body, "name=\"region\""));
    expect_in(&r, "CC BY 4.0");
    expect_in(&r, "<ol class=\"resultats\" start=\"1\">");
    expect_in(&r, "<a rel=\"next\" href=\"/?offset=10\">");
    assert_null(strstr(r.body, "Retirer tous les filtres"));
    assert_null(strstr(r.body, "rel=\"prev\""));
    st_reply_free(&r);

    /* Highlighted words, and the query kept in the box, escaped. */
    r = get_page("/?q=%22maison+de+sant%C3%A9%22", 200);
    expect_in(&r, "value=\"&quot;maison de santé&quot;\"");
    expect_in(&r, "<mark>");
    expect_in(&r, " pour «\u00a0&quot;maison de santé&quot;\u00a0»</h2>");
    st_reply_free(&r);
}

static void test_filters_in_links(void **state)
{
    (void)state;
    /* A département given by name is kept as its code; its box is
     * ticked; the map's link of it takes it out, another's adds to it. */
    st_reply r = get_page("/?q=logement&dept=loiret", 200);
    expect_in(&r, "name=\"dept\" value=\"45\" checked>");
    expect_in(&r, "<a class=\"dep b");
    expect_in(&r, " choisi\" href=\"/?q=logement\" data-dept=\"45\"");
    expect_in(&r, "href=\"/?q=logement&amp;dept=45&amp;dept=36\" data-dept=\"36\"");
    expect_in(&r, "aria-label=\"Loiret (45) : ");
    expect_in(&r, ", filtre actif\"");
    expect_in(&r, "<a class=\"retirer\" href=\"/?q=logement\">Retirer tous les filtres</a>");
    /* Hits only of the Loiret; the département facet counts the others
     * (disjunctive). */
    assert_null(strstr(r.body, "<p class=\"meta\">Indre (36)"));
    expect_in(&r, "name=\"dept\" value=\"36\">");
    st_reply_free(&r);

    /* Pages: the links keep the state and move the offset. */
    r = get_page("/?category=gouvernance&offset=5&limit=5", 200);
    expect_in(&r, "<ol class=\"resultats\" start=\"6\">");
    expect_in(&r, "<a rel=\"prev\" href=\"/?category=gouvernance&amp;limit=5\">");
    expect_in(&r, "<a rel=\"next\" href=\"/?category=gouvernance&amp;limit=5&amp;offset=10\">");
    expect_in(&r, "<input type=\"hidden\" name=\"limit\" value=\"5\">");
    st_reply_free(&r);
}

static void test_initiative_page(void **state)
{
    (void)state;
    st_reply r = get_page("/initiatives/70-la-maison-des-stagiaires-du-bassin-vesulien", 200);
    expect_in(&r, "<h1 data-focus tabindex=\"-1\">La maison des stagiaires du bassin Vésulien</h1>");
    expect_in(&r, "<a href=\"/?dept=70\">Haute-Saône (70)</a>");
    expect_in(&r, "<a href=\"/?category=logement\">Logement des stagiaires</a>");
    expect_in(&r, "(règle «\u00a0");
    expect_in(&r, "records-departements-initiatives.txt:");
    expect_in(&r, "<h2 id=\"semblables\">Initiatives semblables</h2>");
    assert_null(strstr(r.body, "<a href=\"/initiatives/70-la-maison-des-stagiaires-du-bassin-"
                               "vesulien\">")); /* not like itself */
    assert_true(count(r.body, "<li><h3><a href=\"/initiatives/") > 0);
    st_reply_free(&r);

    r = get_page("/initiatives/nothing-has-this-id", 404);
    expect_in(&r, "Initiative introuvable");
    st_reply_free(&r);
}

static void test_escaping(void **state)
{
    (void)state;
    static const char title[] =
        "&lt;script&gt;alert(1)&lt;/script&gt; l&#39;&quot;accueil&quot; &amp; co";
    static const char text[] = "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;";
    st_reply r = get_page("/?q=onerror", 200);
    expect_in(&r, title);
    expect_in(&r, "src=x <mark>onerror</mark>=alert(2)&gt;"); /* the snippet */
    assert_null(strstr(r.body, "<script>alert"));
    assert_null(strstr(r.body, "<img"));
    st_reply_free(&r);

    r = get_page("/initiatives/xss-1", 200);
    expect_in(&r, title);
    expect_in(&r, text);
    assert_null(strstr(r.body, "<img"));
    char t[512];
    snprintf(t, sizeof t, "<title>%s — oasis</title>", title);
    expect_in(&r, t);
    st_reply_free(&r);

    /* What the request brings is escaped too, in text and attributes. */
    r = get_page("/?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(3)%3E", 200);
    assert_null(strstr(r.body, "<img"));
    expect_in(&r, "value=\"&quot;&gt;&lt;img src=x onerror=alert(3)&gt;\"");
    st_reply_free(&r);
}

/* The no-break space of French typography. */
#define NB "\u00a0"

/* No English sentence of the library or of the arguments' checks. */
static void expect_no_english(const st_reply *r)
{
    static const char *const english[] = {
        "no initiative in", "nothing to search", "read as plain words", "words: only the first",
        "no spelling suggestion", "must be a number", "unknown ", "too many values",
        "query too long", "at column"};
    for (size_t i = 0; i < sizeof english / sizeof *english; i++)
        if (strstr(r->body, english[i]))
            fail_msg("the page says in English: %s", english[i]);
}

/* What the library says about a query, in French, one paragraph each,
 * escaped. */
static void test_notices(void **state)
{
    (void)state;
    st_reply r = get_page("/?q=Corse", 200);
    expect_in(&r, "<p class=\"avis\">Aucune initiative pour «" NB "Corse" NB "».</p>");
    expect_no_english(&r);
    st_reply_free(&r);

    r = get_page("/?q=le+la+les", 200);
    expect_in(&r, "<p class=\"avis\">Rien à chercher" NB ": la requête n’a que des mots trop "
                  "courants pour être cherchés (mots vides) ou de la ponctuation.</p>");
    expect_no_english(&r);
    st_reply_free(&r);

    /* Two notices: the malformed query, then the place. */
    r = get_page("/?q=Haute-Corse+sant%C3%A9+AND", 200);
    expect_in(&r, "<p class=\"avis\">Requête mal formée à la colonne 19" NB ": elle a été lue "
                  "comme une suite de simples mots.</p>\n"
                  "<p class=\"avis\">Aucune initiative pour «" NB "Haute-Corse" NB "».</p>");
    expect_no_english(&r);
    st_reply_free(&r);

    /* The place as typed comes from the request: escaped. */
    r = get_page("/?q=Corse-du-%3CSud%3E", 200);
    expect_in(&r, "Aucune initiative pour «" NB "Corse-du-&lt;Sud&gt;" NB "».");
    assert_null(strstr(r.body, "<Sud>"));
    st_reply_free(&r);

    /* Too many words. */
    char target[600] = "/?q=";
    for (int i = 0; i < 70; i++)
        strcat(target, "mot+");
    r = get_page(target, 200);
    expect_in(&r, "La requête a plus de 64" NB "mots" NB ": seuls les 64 premiers ont été pris "
                  "en compte.");
    expect_no_english(&r);
    st_reply_free(&r);

    /* The JSON API keeps the library's English. */
    r = get("/api/search?q=Corse", 200, "application/json; charset=utf-8");
    expect_in(&r, "\"notice\":\"no initiative in Corse\"");
    st_reply_free(&r);
}

static void test_errors(void **state)
{
    (void)state;
    /* Bad arguments: an error page in French, the form kept. */
    st_reply r = get_page("/?q=logement&dept=99", 400);
    expect_in(&r, "Recherche impossible");
    expect_in(&r, "<p class=\"avis\">Département inconnu" NB ": «" NB "99" NB "».</p>");
    expect_in(&r, "value=\"logement\"");
    expect_no_english(&r);
    st_reply_free(&r);
    r = get_page("/?limit=1000", 400);
    expect_in(&r, "<p class=\"avis\">Le nombre de résultats par page (limit) doit être un "
                  "nombre de 0 à 100.</p>");
    expect_no_english(&r);
    st_reply_free(&r);
    r = get_page("/?category=%3Cb%3E", 400);
    expect_in(&r, "Catégorie inconnue" NB ": «" NB "&lt;b&gt;" NB "».");
    st_reply_free(&r);
    /* The API says the same in English. */
    r = get("/api/search?limit=1000", 400, "application/json; charset=utf-8");
    expect_in(&r, "limit must be a number from 0 to 100");
    st_reply_free(&r);
    char target[1200] = "/?q=";
    memset(target + 4, 'a', 1100);
    target[1104] = '\0';
    r = get_page(target, 413);
    expect_in(&r, "Requête trop longue (1024" NB "octets au plus).");
    expect_no_english(&r);
    st_reply_free(&r);
    /* A query the library refuses: its status, a French sentence. */
    r = get_page("/?q=dept%3A99", 400);
    expect_in(&r, "<p class=\"avis\">La requête nomme un département, une région ou une "
                  "catégorie inconnus (après dept:, region: ou cat:).</p>");
    expect_no_english(&r);
    st_reply_free(&r);
}

static void test_assets(void **state)
{
    (void)state;
    st_reply r = get("/assets/app.js", 200, "text/javascript; charset=utf-8");
    expect_in(&r, "history.pushState");
    char v[256];
    assert_non_null(st_header(&r, "Cache-Control", v, sizeof v));
    st_reply_free(&r);
    r = get("/assets/style.css", 200, "text/css; charset=utf-8");
    expect_in(&r, "svg.carte");
    st_reply_free(&r);
    /* Only the compiled-in names: no path reaches the file system. */
    static const char *const absent[] = {"/assets/nope.js", "/assets/../CMakeLists.txt",
                                         "/assets/%2e%2e/CMakeLists.txt", "/assets/",
                                         "/assets/app.js/x", "/assets/APP.JS"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
        st_reply a = st_get(server.port, absent[i]);
        if (a.status != 404)
            fail_msg("GET %s: status %d, not 404", absent[i], a.status);
        st_reply_free(&a);
    }
    /* HEAD: the headers without the body. */
    r = st_request(server.port, "HEAD", "/");
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    st_reply_free(&r);
}

/* An index not there yet: the page says so with 503. */
static void test_unavailable(void **state)
{
    (void)state;
    char missing[4300], log[4300];
    snprintf(missing, sizeof missing, "%s/missing.db", dir);
    snprintf(log, sizeof log, "%s/missing.log", dir);
    st_server s = st_start(serve_bin, missing, log, NULL);
    assert_true(st_wait_health(&s, 503));
    st_reply r = st_get(s.port, "/?q=logement");
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body, "Index indisponible"));
    st_reply_free(&r);
    r = st_get(s.port, "/assets/style.css"); /* the assets need no index */
    assert_int_equal(r.status, 200);
    st_reply_free(&r);
    assert_int_equal(st_stop(&s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_page),   cmocka_unit_test(test_filters_in_links),
        cmocka_unit_test(test_initiative_page), cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_notices),       cmocka_unit_test(test_errors),
        cmocka_unit_test(test_assets),
        cmocka_unit_test(test_unavailable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
