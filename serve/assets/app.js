/* oasis-serve: makes the search page faster without changing what it does.
   Without this script the page works the same through its form and links;
   with it, ticking a box submits the form, and the form, the links of the
   page (facets, map, pages, initiatives) and the back button fetch the
   server's HTML and swap the main part of the page in place, keeping the
   URL (history) as the server would have it; the search box offers
   completions as one types. No framework, no inline code
   (the page's Content-Security-Policy forbids it). */
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.add('js');
  if (!window.fetch || !window.history || !window.history.pushState || !window.DOMParser) return;

  var current = null; /* the AbortController of the fetch under way */

  function main() { return document.getElementById('contenu'); }

  function announce(text) {
    var live = document.getElementById('annonce');
    if (live) live.textContent = text;
  }

  /* What has the focus, to find its counterpart in the new content. */
  function focusKey() {
    var el = document.activeElement;
    if (!el || el === document.body) return null;
    if (el.id) return { id: el.id };
    if (el.name && el.value !== undefined) return { name: el.name, value: el.value };
    var dept = el.getAttribute && el.getAttribute('data-dept');
    if (dept) return { dept: dept };
    return null;
  }

  function restoreFocus(key) {
    var el = null, m = main();
    if (key && key.id) el = document.getElementById(key.id);
    else if (key && key.name) {
      var inputs = m.querySelectorAll('input[name]');
      for (var i = 0; i < inputs.length && !el; i++)
        if (inputs[i].name === key.name && inputs[i].value === key.value) el = inputs[i];
    } else if (key && key.dept) {
      el = m.querySelector('a[data-dept="' + key.dept.replace(/[^0-9AB]/g, '') + '"]');
    }
    if (!el) el = m.querySelector('[data-focus]');
    if (el) el.focus({ preventScroll: !!key });
  }

  function navigate(url, push) {
    if (current) current.abort();
    var ctl = current = new AbortController();
    var m = main(), key = focusKey();
    m.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { Accept: 'text/html' }, signal: ctl.signal, credentials: 'same-origin' })
      .then(function (r) {
        var type = r.headers.get('Content-Type') || '';
        if (type.indexOf('text/html') !== 0) throw new Error('not a page');
        return r.text();
      })
      .then(function (text) {
        if (ctl !== current) return;
        current = null;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var fresh = doc.getElementById('contenu');
        if (!fresh) throw new Error('no content');
        m.replaceWith(document.adoptNode(fresh));
        document.title = doc.title;
        if (push) history.pushState(null, '', url);
        var summary = main().querySelector('.resume, h1');
        announce(summary ? summary.textContent : document.title);
        restoreFocus(key);
      })
      .catch(function (e) {
        if (e && e.name === 'AbortError') return;
        window.location.assign(url); /* let the browser do it */
      });
  }

  function formUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === 'string' && value.trim() !== '') params.append(name, value);
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }

  function ours(url) {
    return url.origin === window.location.origin &&
      (url.pathname === '/' || url.pathname.indexOf('/initiatives/') === 0);
  }

  document.addEventListener('change', function (e) {
    var t = e.target;
    if (t && t.type === 'checkbox' && t.form && t.form.id === 'recherche') navigate(formUrl(t.form), true);
  });

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.id !== 'recherche') return;
    e.preventDefault();
    navigate(formUrl(form), true);
  });

  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target.closest ? e.target.closest('a[href]') : null;
    if (!a || a.hasAttribute('download') || (a.getAttribute('target') || '') !== '') return;
    var url = new URL(a.getAttribute('href'), window.location.href);
    if (!ours(url)) return;
    e.preventDefault();
    navigate(url.pathname + url.search, true);
  });

  /* Completions of the search box as one types (GET /api/suggest), in a
     datalist kept outside <main>, so that it outlives the swaps. */
  var kinds = { word: 'mot', departement: 'département', region: 'région',
                category: 'catégorie', commune: 'commune' };
  var timer = null, asked = null;
  function complete(input) {
    var text = input.value;
    if (text.trim().length < 2 || text === asked) return;
    asked = text;
    fetch('/api/suggest?q=' + encodeURIComponent(text), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || input.value !== text) return;
        var list = document.getElementById('q-completions');
        if (!list) {
          list = document.createElement('datalist');
          list.id = 'q-completions';
          document.body.appendChild(list);
        }
        list.textContent = '';
        (data.completions || []).forEach(function (c) {
          var option = document.createElement('option');
          option.value = c.text;
          option.label = (kinds[c.kind] || c.kind) + (c.count ? ' · ' + c.count : '') +
            (c.text !== c.label ? ' · ' + c.label : '');
          list.appendChild(option);
        });
        var box = document.getElementById('q');
        if (box) box.setAttribute('list', 'q-completions');
      })
      .catch(function () { /* no completions: the box works without */ });
  }
  document.addEventListener('input', function (e) {
    if (!e.target || e.target.id !== 'q') return;
    clearTimeout(timer);
    timer = setTimeout(complete, 150, e.target);
  });

  window.addEventListener('popstate', function () {
    navigate(window.location.pathname + window.location.search, false);
  });
})();
