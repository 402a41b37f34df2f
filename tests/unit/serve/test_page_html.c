/* serve/html and serve/map: the page's one escaping function, its URLs,
 * and the map of France it draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "html.h"
#include "map.h"
#include "oasis.h"

/* What h holds, as a string (freed by the caller). */
static char *take(html *h)
{
    size_t len = 0;
    char *s = html_take(h, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    return s;
}

static void test_escape(void **state)
{
    (void)state;
    html h = HTML_INIT;
    html_raw(&h, "<p title=\"");
    html_text(&h, "\"><img src=x onerror=alert(2)> & 'l'");
    html_raw(&h, "\">");
    html_text(&h, "<script>alert(1)</script> déserts médicaux");
    html_raw(&h, "</p>");
    char *s = take(&h);
    assert_string_equal(s, "<p title=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt; &amp; "
                           "&#39;l&#39;\">&lt;script&gt;alert(1)&lt;/script&gt; déserts "
                           "médicaux</p>");
    free(s);

    /* A NUL inside a counted text never reaches the page. */
    html_textn(&h, "a\0b", 3);
    s = take(&h);
    assert_string_equal(s, "a\xEF\xBF\xBD"
                           "b");
    free(s);

    /* Empty: "" (not NULL). */
    s = take(&h);
    assert_string_equal(s, "");
    free(s);
}

static void test_cut(void **state)
{
    (void)state;
    html h = HTML_INIT;
    html_text_cut(&h, "maison de santé <pluri>", 100);
    char *s = take(&h);
    assert_string_equal(s, "maison de santé &lt;pluri&gt;");
    free(s);
    html_text_cut(&h, "maison de santé pluriprofessionnelle", 12);
    s = take(&h);
    assert_string_equal(s, "maison de…");
    free(s);
    /* One long word: cut before a character, never inside one. */
    html_text_cut(&h, "ééééé", 5);
    s = take(&h);
    assert_string_equal(s, "éé…");
    free(s);
}

static void test_url(void **state)
{
    (void)state;
    html h = HTML_INIT;
    html_raw(&h, "/");
    html_url_param(&h, "q", "loir et cher/é&=\"<");
    html_url_param(&h, "dept", "2A");
    char *s = take(&h);
    assert_string_equal(s, "/?q=loir%20et%20cher%2F%C3%A9%26%3D%22%3C&dept=2A");
    free(s);
    html_raw(&h, "/initiatives/");
    html_url_component(&h, "70-la-maison_des.stagiaires~");
    s = take(&h);
    assert_string_equal(s, "/initiatives/70-la-maison_des.stagiaires~");
    free(s);
}

static void test_bounds(void **state)
{
    (void)state;
    size_t b[MAP_CLASSES];
    map_bounds(0, b);
    for (int k = 0; k < MAP_CLASSES; k++)
        assert_int_equal(b[k], 1);
    map_bounds(3, b);
    assert_int_equal(b[0], 1);
    assert_int_equal(b[1], 2);
    assert_int_equal(b[2], 3);
    assert_int_equal(b[3], 3);
    map_bounds(100, b);
    assert_int_equal(b[0], 25);
    assert_int_equal(b[1], 50);
    assert_int_equal(b[2], 75);
    assert_int_equal(b[3], 100);
}

/* A link with characters that must be escaped in an attribute. */
static void hostile_link(void *userdata, const char *code, html *url)
{
    (void)userdata;
    html_raw(url, "/?q=\"><x>&dept=");
    html_raw(url, code);
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void test_map(void **state)
{
    (void)state;
    assert_int_equal(map_load(), 0);
    size_t n = oasis_departement_count();
    assert_int_equal(n, 101);
    size_t counts[101] = {0};
    unsigned char selected[101] = {0};
    size_t i45 = 0, i2a = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(oasis_departement_at(i)->code, "45"))
            i45 = i;
        if (!strcmp(oasis_departement_at(i)->code, "2A"))
            i2a = i;
    }
    counts[i45] = 8;
    counts[i2a] = 1;
    selected[i45] = 1;

    html h = HTML_INIT;
    assert_int_equal(map_render(&h, counts, selected, hostile_link, NULL), 0);
    char *s = take(&h);
    /* Every département once, as a link with its name and count. */
    assert_int_equal(count(s, "<a class=\"dep "), 101);
    for (size_t i = 0; i < n; i++) {
        char attr[32];
        snprintf(attr, sizeof attr, "data-dept=\"%s\"", oasis_departement_at(i)->code);
        assert_int_equal(count(s, attr), 1);
    }
    assert_non_null(
        strstr(s, "<a class=\"dep b4 choisi\" href=\"/?q=&quot;&gt;&lt;x&gt;&amp;dept=45\""));
    assert_non_null(strstr(s, "aria-label=\"Loiret (45) : 8 initiatives, filtre actif\""));
    assert_non_null(strstr(s, "<a class=\"dep b1\" href=\"/?q=&quot;&gt;&lt;x&gt;&amp;dept=2A\""));
    assert_non_null(strstr(s, "aria-label=\"Corse-du-Sud (2A) : 1 initiative\""));
    assert_non_null(strstr(s, "aria-label=\"Ain (01) : aucune initiative\""));
    assert_null(strstr(s, "<x>"));
    assert_null(strstr(s, "style="));
    /* The five overseas insets and Paris enlarged, named; the enlarged
     * copies are links for the mouse only. */
    assert_int_equal(count(s, "<rect class=\"cadre\""), 6);
    assert_non_null(strstr(s, ">Guadeloupe</text>"));
    assert_non_null(strstr(s, ">Mayotte</text>"));
    assert_non_null(strstr(s, ">Petite couronne</text>"));
    assert_int_equal(count(s, "<a class=\"zoom b0\" href=\"/?q=&quot;&gt;&lt;x&gt;&amp;dept=75\" "
                              "tabindex=\"-1\" aria-hidden=\"true\">"),
                     1);
    assert_int_equal(count(s, "<a class=\"zoom "), 4);
    /* The legend: classes up to 8 in quarters (1 or 2, 3 or 4, 5 or 6, 7 or 8). */
    assert_non_null(strstr(s, "b1\" aria-hidden=\"true\"></span>1 ou 2</li>"));
    assert_non_null(strstr(s, "b4\" aria-hidden=\"true\"></span>7 ou 8</li>"));
    /* The chosen département is drawn last, over its neighbours. */
    assert_true(strstr(s, "data-dept=\"45\"") > strstr(s, "data-dept=\"95\""));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape), cmocka_unit_test(test_cut), cmocka_unit_test(test_url),
        cmocka_unit_test(test_bounds), cmocka_unit_test(test_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
