/* The functions liboasis.so exports are exactly those include/oasis.h
 * declares with OASIS_API: the header is the list of the API, and nothing
 * internal (our modules, Xapian's templates) leaks out. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#define MAX_NAMES 512

typedef struct names {
    char *v[MAX_NAMES];
    size_t n;
} names;

static void add_name(names *ns, const char *s, size_t len)
{
    if (ns->n == MAX_NAMES)
        fail_msg("more than %d names", MAX_NAMES);
    ns->v[ns->n] = strndup(s, len);
    assert_non_null(ns->v[ns->n]);
    ns->n++;
}

static void free_names(names *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    ns->n = 0;
}

static int is_ident(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* The header without comments and preprocessor lines (continuations
 * included), which is where OASIS_API itself is defined. */
static char *strip_header(const char *src)
{
    size_t n = strlen(src);
    char *out = malloc(n + 1);
    assert_non_null(out);
    size_t o = 0;
    int line_start = 1;
    for (size_t i = 0; i < n;) {
        if (src[i] == '/' && src[i + 1] == '*') {
            const char *end = strstr(src + i + 2, "*/");
            assert_non_null(end);
            i = (size_t)(end - src) + 2;
            out[o++] = ' ';
        } else if (src[i] == '/' && src[i + 1] == '/') {
            while (i < n && src[i] != '\n')
                i++;
        } else if (line_start && src[i] == '#') {
            while (i < n && !(src[i] == '\n' && src[i - 1] != '\\'))
                i++;
        } else {
            if (src[i] == '\n')
                line_start = 1;
            else if (!isspace((unsigned char)src[i]))
                line_start = 0;
            out[o++] = src[i++];
        }
    }
    out[o] = '\0';
    return out;
}

/* Each OASIS_API declaration: the identifier before its '(' (a function)
 * or before its ';' (an object). */
static void declared_names(const char *header, names *ns)
{
    char *text = strip_header(header);
    for (const char *p = text; (p = strstr(p, "OASIS_API"));) {
        if ((p > text && is_ident(p[-1])) || is_ident(p[9])) {
            p += 9;
            continue;
        }
        const char *end = p + 9;
        while (*end && *end != '(' && *end != ';' && *end != '[')
            end++;
        assert_true(*end);
        const char *e = end;
        while (e > p && isspace((unsigned char)e[-1]))
            e--;
        const char *b = e;
        while (b > p && is_ident(b[-1]))
            b--;
        assert_true(e > b);
        add_name(ns, b, (size_t)(e - b));
        p = end;
    }
    free(text);
}

/* `nm -D --defined-only LIB`: "ADDRESS TYPE NAME" lines. */
static void exported_names(const char *nm_out, names *ns)
{
    for (const char *line = nm_out; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char addr[64], type[8], name[512];
        char buf[640];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        if (sscanf(buf, "%63s %7s %511s", addr, type, name) == 3)
            add_name(ns, name, strlen(name));
        else if (sscanf(buf, "%7s %511s", type, name) == 2) /* no address */
            add_name(ns, name, strlen(name));
        line += len + (eol ? 1 : 0);
    }
}

static const char *library_path(void)
{
    const char *lib = getenv("OASIS_LIBRARY");
    if (!lib || !*lib)
        fail_msg("OASIS_LIBRARY is not set: run the tests through ctest");
    return lib;
}

/* Names in a and not in b (both sorted), one per line, into out. */
static void difference(const names *a, const names *b, char *out, size_t cap)
{
    out[0] = '\0';
    for (size_t i = 0; i < a->n; i++) {
        if (!bsearch(&a->v[i], b->v, b->n, sizeof b->v[0], t_cmp_str)) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "  %s\n", a->v[i]);
        }
    }
}

static void test_exports_equal_header(void **state)
{
    (void)state;
    char *header = t_read_file(t_source_path("include/oasis.h"), NULL);
    names declared = {{0}, 0}, exported = {{0}, 0};
    declared_names(header, &declared);
    free(header);

    const char *nm = getenv("OASIS_NM");
    char *argv[] = {(char *)(nm && *nm ? nm : "/usr/bin/nm"), "-D", "--defined-only",
                    (char *)library_path(), NULL};
    char *out = NULL, *err = NULL;
    int rc = t_run(argv, NULL, &out, &err);
    if (rc != 0)
        fail_msg("%s exited with %d: %s", argv[0], rc, err);
    exported_names(out, &exported);
    free(out);
    free(err);

    /* The parsers found something on both sides. */
    assert_true(declared.n >= 10);
    assert_true(exported.n >= 10);
    qsort(declared.v, declared.n, sizeof declared.v[0], t_cmp_str);
    qsort(exported.v, exported.n, sizeof exported.v[0], t_cmp_str);
    for (size_t i = 1; i < declared.n; i++)
        if (!strcmp(declared.v[i - 1], declared.v[i]))
            fail_msg("%s is declared twice with OASIS_API", declared.v[i]);

    static char undeclared[16384], missing[16384];
    difference(&exported, &declared, undeclared, sizeof undeclared);
    difference(&declared, &exported, missing, sizeof missing);
    if (*undeclared || *missing) {
        print_error("exported but not declared OASIS_API in include/oasis.h:\n%s"
                    "declared OASIS_API but not exported:\n%s",
                    *undeclared ? undeclared : "  (none)\n", *missing ? missing : "  (none)\n");
        fail_msg("the exports of %s differ from include/oasis.h", library_path());
    }
    assert_int_equal(declared.n, exported.n);
    free_names(&declared);
    free_names(&exported);
}

/* Every public name follows the oasis_ prefix, so it cannot clash with the
 * embedding program's own. */
static void test_public_names_prefixed(void **state)
{
    (void)state;
    char *header = t_read_file(t_source_path("include/oasis.h"), NULL);
    names declared = {{0}, 0};
    declared_names(header, &declared);
    free(header);
    for (size_t i = 0; i < declared.n; i++)
        if (strncmp(declared.v[i], "oasis_", 6) != 0)
            fail_msg("%s: public names start with oasis_", declared.v[i]);
    free_names(&declared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exports_equal_header),
        cmocka_unit_test(test_public_names_prefixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
