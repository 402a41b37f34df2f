/* html.c — the page's HTML buffer and its one escaping function. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

static int grow(html *h, size_t extra)
{
    if (h->failed)
        return -1;
    if (h->len + extra + 1 <= h->cap)
        return 0;
    size_t cap = h->cap ? h->cap : 4096;
    while (cap < h->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            h->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(h->data, cap);
    if (!p) {
        h->failed = 1;
        return -1;
    }
    h->data = p;
    h->cap = cap;
    return 0;
}

void html_rawn(html *h, const char *markup, size_t n)
{
    if (grow(h, n) != 0)
        return;
    memcpy(h->data + h->len, markup, n);
    h->len += n;
    h->data[h->len] = '\0';
}

void html_raw(html *h, const char *markup)
{
    html_rawn(h, markup, strlen(markup));
}

void html_num(html *h, size_t n)
{
    char digits[24];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    html_rawn(h, digits + i, sizeof digits - i);
}

void html_textn(html *h, const char *text, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc;
        switch (text[i]) {
        case '&':
            esc = "&amp;";
            break;
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\'':
            esc = "&#39;";
            break;
        case '\0':
            esc = "\xEF\xBF\xBD";
            break; /* U+FFFD: never a NUL in the page */
        default:
            continue;
        }
        html_rawn(h, text + start, i - start);
        html_raw(h, esc);
        start = i + 1;
    }
    html_rawn(h, text + start, n - start);
}

void html_text(html *h, const char *text)
{
    html_textn(h, text, strlen(text));
}

void html_text_cut(html *h, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max) {
        html_textn(h, text, n);
        return;
    }
    size_t cut = max;
    while (cut > 0 && text[cut] != ' ')
        cut--;
    if (cut == 0) { /* one long word: cut at a character's start */
        cut = max;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    html_textn(h, text, cut);
    html_raw(h, "…");
}

void html_url_component(html *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            html_rawn(h, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            html_rawn(h, e, 3);
        }
    }
}

void html_url_param(html *h, const char *name, const char *value)
{
    html_raw(h, h->len && memchr(h->data, '?', h->len) ? "&" : "?");
    html_url_component(h, name);
    html_raw(h, "=");
    html_url_component(h, value);
}

int html_failed(const html *h)
{
    return h->failed;
}

char *html_take(html *h, size_t *len)
{
    if (h->failed) {
        html_free(h);
        return NULL;
    }
    if (!h->data)
        html_raw(h, "");
    if (h->failed) {
        html_free(h);
        return NULL;
    }
    char *out = h->data;
    *len = h->len;
    h->data = NULL;
    h->len = h->cap = 0;
    return out;
}

void html_free(html *h)
{
    free(h->data);
    h->data = NULL;
    h->len = h->cap = 0;
    h->failed = 0;
}
