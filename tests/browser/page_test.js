// The search page of oasis-serve in a real browser (Debian's chromium,
// driven by playwright-core): a real oasis-index builds an index of the
// corpus plus a hostile initiative, a real oasis-serve serves it on a free
// loopback port, and the page is used as a person would, with JavaScript
// on, then off, then audited by axe-core. Every wait is on a condition,
// bounded in time.
//
// Usage: node page_test.js OASIS_INDEX OASIS_SERVE CORPUS_DIR OUT_DIR [CHROMIUM]
// Screenshots go to OUT_DIR/screenshots/. Exit status 0 when every check
// passed, 1 otherwise.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const assert = require('assert/strict');
const { chromium } = require('playwright-core');

const [indexer, server, corpus, outDir, browserPath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: node page_test.js OASIS_INDEX OASIS_SERVE CORPUS_DIR OUT_DIR [CHROMIUM]');
  process.exit(2);
}
const TIMEOUT = 15000; // ms, for any one wait
const XSS_TITLE = '<script>alert(1)</script>';
const XSS_TEXT = '"><img src=x onerror=alert(2)>';
const shots = path.join(outDir, 'screenshots');

let passed = 0, failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

// ---- the index and the server --------------------------------------------

function buildIndex(dir) {
  const extra = path.join(dir, 'hostile.jsonl');
  fs.writeFileSync(extra, JSON.stringify({
    id: 'hostile', title: XSS_TITLE,
    text: `Un logement pour les internes ${XSS_TEXT} près des médecins.`,
    departements: ['45'],
  }) + '\n');
  const db = path.join(dir, 'db');
  const r = spawnSync(indexer, ['--index', db, corpus, extra], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`oasis-index failed (${r.status}): ${r.stderr}`);
  return db;
}

// Starts oasis-serve on a free port; resolves to { url, proc } once it says
// where it listens.
function startServer(db) {
  return new Promise((resolve, reject) => {
    const proc = spawn(server, ['--index', db, '--listen', '127.0.0.1:0', '--log', 'none'],
                       { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`oasis-serve did not start: ${err}`)); }, TIMEOUT);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', chunk => {
      err += chunk;
      const m = err.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) { clearTimeout(timer); resolve({ url: m[1], proc }); }
    });
    proc.on('exit', code => { clearTimeout(timer); reject(new Error(`oasis-serve exited (${code}): ${err}`)); });
  });
}

function stopServer(proc) {
  return new Promise(resolve => {
    if (proc.exitCode !== null) return resolve(proc.exitCode);
    const timer = setTimeout(() => proc.kill('SIGKILL'), TIMEOUT);
    proc.once('exit', code => { clearTimeout(timer); resolve(code); });
    proc.kill('SIGTERM');
  });
}

// ---- what the page shows ---------------------------------------------------

const summary = page => page.locator('#resume').innerText();
const total = async page => {
  const m = (await summary(page)).match(/^(\d+) initiatives?/);
  return m ? Number(m[1]) : 0;
};
const facetCounts = page => page.$$eval('.filtres input[type=checkbox]', boxes =>
  boxes.map(b => `${b.name}=${b.value}:${b.closest('label').querySelector('.n').firstChild.textContent}`).join(' '));
const hitMetas = page => page.$$eval('.resultats > li .meta', ps => ps.map(p => p.textContent));
const firstRank = page => page.$eval('#resultats ol.resultats', ol => Number(ol.getAttribute('start')));
const param = (page, name) => new URL(page.url()).searchParams.getAll(name);

// Waits until the page's URL has the parameter name with value (or, with
// present false, has it not), and the results were drawn for that URL.
async function waitState(page, name, value, present = true) {
  await page.waitForFunction(([n, v, p]) => {
    const has = new URL(location.href).searchParams.getAll(n).includes(v);
    return has === p && document.querySelector('#contenu[aria-busy="true"]') === null;
  }, [name, value, present], { timeout: TIMEOUT });
}

async function checkHostile(page, js) {
  // The hostile initiative is found, its title shown as text.
  await page.goto('/?q=onerror');
  const link = page.locator('.resultats a[href="/initiatives/hostile"]');
  assert.equal(await link.innerText(), XSS_TITLE);
  assert.equal(await page.locator('img[src="x"], img[onerror]').count(), 0, 'no injected image');
  assert.equal(await page.locator('script').count(), 1, 'only the page script');
  assert.ok((await page.locator('.resultats .extrait').first().innerText()).includes(XSS_TEXT));
  await link.click();
  await page.waitForURL(/\/initiatives\/hostile$/, { timeout: TIMEOUT });
  await page.locator('h1', { hasText: 'alert(1)' }).waitFor({ timeout: TIMEOUT });
  assert.equal(await page.locator('h1').innerText(), XSS_TITLE);
  assert.ok((await page.locator('.texte').innerText()).includes(XSS_TEXT));
  assert.equal(await page.locator('img').count(), 0, 'no image at all');
  assert.equal(await page.title(), `${XSS_TITLE} — oasis`);
  await page.screenshot({ path: path.join(shots, `hostile-${js ? 'js' : 'nojs'}.png`), fullPage: true });
}

// ---- with JavaScript -------------------------------------------------------

async function withScript(browser, base, dialogs) {
  const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));

  await step('js: the page loads with its security headers and its script runs', async () => {
    const resp = await page.goto('/');
    assert.equal(resp.status(), 200);
    const csp = resp.headers()['content-security-policy'] || '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(resp.headers()['x-content-type-options'], 'nosniff');
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    assert.equal(await page.locator('.appliquer').isVisible(), false, 'no apply button with JS');
    assert.equal(await page.locator('svg.carte a.dep').count(), 101, 'every département on the map');
  });

  await step('js: the search box offers completions as one types', async () => {
    await page.getByLabel('Rechercher une initiative').pressSequentially('loge');
    await page.locator('#q-completions option[value="logement"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('#q').getAttribute('list'), 'q-completions');
  });

  let before;
  await step('js: typing a query and pressing Enter shows its hits in place', async () => {
    await page.evaluate(() => { window.stayed = true; });
    await page.getByLabel('Rechercher une initiative').fill('logement');
    await page.keyboard.press('Enter');
    await waitState(page, 'q', 'logement');
    assert.match(await summary(page), /pour «\u00a0logement\u00a0»/);
    assert.ok(await total(page) > 1);
    assert.equal(await page.evaluate(() => window.stayed), true, 'swapped, not reloaded');
    assert.ok(await page.locator('.resultats mark').count() > 0, 'highlighted words');
    before = { total: await total(page), facets: await facetCounts(page) };
    await page.screenshot({ path: path.join(shots, 'js-1-query.png'), fullPage: true });
  });

  await step('js: ticking a département in the list filters the hits and the counts', async () => {
    const box = page.locator('.filtres input[name=dept][value="45"]');
    await box.check();
    await waitState(page, 'dept', '45');
    const after = { total: await total(page), facets: await facetCounts(page) };
    assert.ok(after.total < before.total, `${after.total} < ${before.total}`);
    assert.notEqual(after.facets, before.facets);
    for (const meta of await hitMetas(page)) assert.match(meta, /\(45\)/);
    assert.equal(await page.locator('.filtres input[name=dept][value="45"]').isChecked(), true);
    assert.match(await page.locator('svg.carte a[data-dept="45"]').getAttribute('class'), /choisi/);
    assert.equal(await page.evaluate(() => window.stayed), true);
    before = after;
    await page.screenshot({ path: path.join(shots, 'js-2-dept-list.png'), fullPage: true });
  });

  await step('js: a département chosen on the map (keyboard) adds to the filter', async () => {
    const dept = await page.$eval('svg.carte a.dep:not(.choisi):not(.b0)', a => a.getAttribute('data-dept'));
    const area = page.locator(`svg.carte a[data-dept="${dept}"]`);
    assert.match(await area.getAttribute('aria-label'), /initiative/);
    await area.focus();
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-dept')), dept);
    await page.keyboard.press('Enter');
    await waitState(page, 'dept', dept);
    assert.deepEqual(param(page, 'dept').sort(), ['45', dept].sort());
    const after = { total: await total(page), facets: await facetCounts(page) };
    assert.ok(after.total > before.total, `${after.total} > ${before.total}`);
    assert.notEqual(after.facets, before.facets);
    assert.equal(await page.locator(`.filtres input[name=dept][value="${dept}"]`).isChecked(), true);
    assert.equal(await page.evaluate(d => document.activeElement.getAttribute('data-dept'), dept), dept,
                 'the focus stays on the département');
    await page.screenshot({ path: path.join(shots, 'js-3-dept-map.png'), fullPage: true });
  });

  await step('js: a category ticked with the keyboard keeps a visible focus on its box', async () => {
    const box = page.locator('.filtres input[name=category]').first();
    const slug = await box.getAttribute('value');
    await box.focus();
    await page.keyboard.press('Space');
    await waitState(page, 'category', slug);
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { name: el.name, value: el.value, checked: el.checked,
               outline: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
    });
    assert.deepEqual([focused.name, focused.value, focused.checked], ['category', slug, true]);
    assert.equal(focused.outline, 'solid', 'a visible focus ring');
    assert.notEqual(focused.width, '0px');
    await page.keyboard.press('Space');
    await waitState(page, 'category', slug, false);
  });

  await step('js: clicking the map removes a département again; back restores it', async () => {
    await page.locator('svg.carte a[data-dept="45"]').click();
    await waitState(page, 'dept', '45', false);
    assert.equal(await page.locator('.filtres input[name=dept][value="45"]').isChecked().catch(() => false), false);
    await page.goBack();
    await waitState(page, 'dept', '45');
    assert.equal(await page.locator('.filtres input[name=dept][value="45"]').isChecked(), true);
  });

  await step('js: paging forward, then back with the browser', async () => {
    await page.goto('/');
    await page.evaluate(() => { window.stayed = true; });
    const n = await total(page);
    assert.ok(n > 10, `more than one page (${n})`);
    assert.equal(await firstRank(page), 1);
    const firstTitle = await page.locator('.resultats > li h3').first().innerText();
    await page.getByRole('link', { name: /Suivantes/ }).click();
    await waitState(page, 'offset', '10');
    assert.equal(await firstRank(page), 11);
    assert.notEqual(await page.locator('.resultats > li h3').first().innerText(), firstTitle);
    assert.match(await page.locator('.pages').innerText(), /Page 2 sur/);
    await page.goBack();
    await waitState(page, 'offset', '10', false);
    assert.equal(await firstRank(page), 1);
    await page.goForward();
    await waitState(page, 'offset', '10');
    assert.equal(await firstRank(page), 11);
    assert.equal(await page.evaluate(() => window.stayed), true);
  });

  await step('js: an initiative and its similar ones', async () => {
    await page.goto('/?q=maison+des+stagiaires');
    const first = page.locator('.resultats > li h3 a').first();
    const title = await first.innerText();
    await first.click();
    await page.waitForURL(/\/initiatives\//);
    await page.locator('article.fiche h1').waitFor();
    assert.equal(await page.locator('article.fiche h1').innerText(), title);
    assert.ok((await page.locator('.texte').innerText()).length > 50, 'the full text');
    const similar = page.locator('.semblables .resultats > li h3 a');
    assert.ok(await similar.count() > 0, 'initiatives semblables');
    const other = await similar.first().innerText();
    assert.notEqual(other, title);
    await page.screenshot({ path: path.join(shots, 'js-4-initiative.png'), fullPage: true });
    await similar.first().click();
    await page.waitForFunction(t => { const h = document.querySelector('article.fiche h1'); return h && h.textContent === t; }, other);
    await page.goBack();
    await page.waitForFunction(t => { const h = document.querySelector('article.fiche h1'); return h && h.textContent === t; }, title);
  });

  await step('js: the hostile initiative is text, nothing runs', () => checkHostile(page, true));

  await step('js: usable at 375 px: no sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/?q=sant%C3%A9');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `page width ${width}`);
    await page.screenshot({ path: path.join(shots, 'js-5-phone.png'), fullPage: true });
  });

  await step('js: no script error', async () => assert.deepEqual(errors, []));
  await ctx.close();
}

// ---- accessibility: axe-core's WCAG 2.1 A and AA rules -----------------------

async function accessibility(browser, base) {
  // The audit script is injected, which the page's CSP forbids: this
  // context alone bypasses it (the others check the CSP itself).
  const axe = require.resolve('axe-core/axe.min.js');
  for (const [name, width] of [['wide', 1280], ['phone', 375]]) {
    const ctx = await browser.newContext({ baseURL: base, bypassCSP: true,
                                           viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    page.setDefaultTimeout(TIMEOUT);
    for (const url of ['/?q=logement&dept=45', '/initiatives/hostile', '/?dept=99']) {
      await step(`a11y (${name}): ${url} breaks no WCAG 2.1 A/AA rule of axe-core`, async () => {
        await page.goto(url);
        await page.addScriptTag({ path: axe });
        const found = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }).then(r => r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.length}: ${
          v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`)));
        assert.deepEqual(found, []);
      });
    }
    await ctx.close();
  }
}

// ---- the map's shapes against the page: WCAG 1.4.11, 3:1 -------------------

// The contrast ratio of two CSS colours (rgb() or rgba(), as computed).
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function mapContrast(browser, base) {
  const ctx = await browser.newContext({ baseURL: base });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await step('map: each département stands out from the page by 3:1 (its fill or its outline), '
             + 'as do the insets\' frames and the legend\'s swatches', async () => {
    await page.goto('/?q=logement');
    const seen = await page.evaluate(() => {
      const style = (el) => getComputedStyle(el);
      // The first background drawn behind the map, white when none is.
      let back = 'rgb(255, 255, 255)';
      for (let el = document.querySelector('svg.carte'); el; el = el.parentElement) {
        const b = style(el).backgroundColor;
        if (b !== 'rgba(0, 0, 0, 0)' && b !== 'transparent') { back = b; break; }
      }
      return {
        back,
        shapes: [...document.querySelectorAll('svg.carte .dep path')].map((p) => ({
          fill: style(p).fill, stroke: style(p).stroke, bin: p.parentNode.getAttribute('class') })),
        frames: [...document.querySelectorAll('svg.carte .cadre')].map((f) => style(f).stroke),
        swatches: [...document.querySelectorAll('.legende .pastille')].map((s) => style(s).borderTopColor),
      };
    });
    assert.ok(seen.shapes.length >= 101, `${seen.shapes.length} départements drawn`);
    const bins = new Set(seen.shapes.map((s) => s.bin));
    assert.ok(bins.size >= 2, `the map shows ${[...bins].join(', ')} only`);
    for (const s of seen.shapes) {
      const ok = contrast(s.fill, seen.back) >= 3 ||
                 (contrast(s.stroke, seen.back) >= 3 && contrast(s.stroke, s.fill) >= 3);
      assert.ok(ok, `${s.bin}: fill ${s.fill}, outline ${s.stroke} on ${seen.back}`);
    }
    assert.ok(seen.frames.length > 0);
    for (const f of seen.frames)
      assert.ok(contrast(f, seen.back) >= 3, `inset frame ${f} on ${seen.back}`);
    for (const b of seen.swatches)
      assert.ok(contrast(b, seen.back) >= 3, `legend swatch border ${b} on ${seen.back}`);
  });
  await ctx.close();
}

// ---- without JavaScript ----------------------------------------------------

async function withoutScript(browser, base, dialogs) {
  const ctx = await browser.newContext({ baseURL: base, javaScriptEnabled: false,
                                         viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });

  let before;
  await step('no js: the form searches', async () => {
    await page.goto('/');
    assert.equal(await page.evaluate(() => document.documentElement.className), '');
    await page.getByLabel('Rechercher une initiative').fill('logement');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/[?&]q=logement/);
    assert.match(await summary(page), /pour «\u00a0logement\u00a0»/);
    before = { total: await total(page), facets: await facetCounts(page) };
    await page.screenshot({ path: path.join(shots, 'nojs-1-query.png'), fullPage: true });
  });

  await step('no js: a box ticked and applied filters', async () => {
    await page.locator('.filtres input[name=dept][value="45"]').check();
    await page.getByRole('button', { name: 'Appliquer les filtres' }).click();
    await page.waitForURL(/[?&]dept=45/);
    const after = { total: await total(page), facets: await facetCounts(page) };
    assert.ok(after.total < before.total);
    assert.notEqual(after.facets, before.facets);
    assert.deepEqual(param(page, 'q'), ['logement']);
    before = after;
  });

  await step('no js: a département of the map is a link that filters', async () => {
    const dept = await page.$eval('svg.carte a.dep:not(.choisi):not(.b0)', a => a.getAttribute('data-dept'));
    await page.locator(`svg.carte a[data-dept="${dept}"]`).click();
    await page.waitForURL(new RegExp(`[?&]dept=${dept}(&|$)`));
    assert.ok(await total(page) > before.total);
    await page.screenshot({ path: path.join(shots, 'nojs-2-map.png'), fullPage: true });
  });

  await step('no js: paging and back', async () => {
    await page.goto('/');
    await page.getByRole('link', { name: /Suivantes/ }).click();
    await page.waitForURL(/[?&]offset=10/);
    assert.equal(await firstRank(page), 11);
    await page.goBack();
    await page.waitForURL(u => !u.searchParams.has('offset'));
    assert.equal(await firstRank(page), 1);
  });

  await step('no js: an initiative and its similar ones', async () => {
    await page.goto('/?q=maison+des+stagiaires');
    const first = page.locator('.resultats > li h3 a').first();
    const title = await first.innerText();
    await first.click();
    await page.waitForURL(/\/initiatives\//);
    assert.equal(await page.locator('article.fiche h1').innerText(), title);
    assert.ok(await page.locator('.semblables .resultats > li').count() > 0);
    await page.screenshot({ path: path.join(shots, 'nojs-3-initiative.png'), fullPage: true });
  });

  await step('no js: the hostile initiative is text', () => checkHostile(page, false));
  await ctx.close();
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(outDir, 'run-'));
  let srv = null, browser = null;
  try {
    srv = await startServer(buildIndex(tmp));
    browser = await chromium.launch({ executablePath: browserPath, timeout: TIMEOUT,
                                      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                                             '--disable-background-networking', '--disable-component-update',
                                             '--disable-sync', '--no-first-run', '--disable-quic'] });
    const dialogs = [];
    await withScript(browser, srv.url, dialogs);
    await withoutScript(browser, srv.url, dialogs);
    await accessibility(browser, srv.url);
    await mapContrast(browser, srv.url);
    await step('no dialog was opened by any page', async () => assert.deepEqual(dialogs, []));
  } catch (e) {
    failed++;
    console.log(`not ok - set-up: ${e && e.message}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (srv) {
      const code = await stopServer(srv.proc);
      await step('oasis-serve stops cleanly on SIGTERM', async () => assert.equal(code, 0));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
