// SPDX-License-Identifier: MIT
// The search test: runs every query of a query table (search-queries.tsv)
// on the built sites' search pages in Chromium at 390x844, and the same
// queries through Pagefind's default UI on a copy of each site indexed by
// Pagefind, for comparison. For each query it records the first result and
// the bytes downloaded (the encodedDataLength of every response, from the
// navigation to the end of the query, from the DevTools protocol's Network
// events), with a fresh browser context (an empty cache) for each.
//
// Fails (one line "FAIL ..." each) when sapan's first result is not the
// expected one, on any console error, when a query limited in the table
// (two-word Thai queries: 100 KB) downloads more, when sapan finds fewer
// Thai queries than Pagefind, when axe-core finds a serious or critical
// violation on a search page showing results, or when a search page without
// JavaScript does not lead to every page of its language (linked from it
// or from its sections' numbered list pages). Prints both tables
// side by side and writes them to REPORT. Ends with "N passed, N failed".
//
// Usage: node search.mjs QUERIES REPORT WORK NAME=SITE_DIR...
//   QUERIES   the query table (its first lines say its format)
//   REPORT    the Markdown file the tables are written to
//   WORK      a folder for the Pagefind copies (emptied per site)
//   NAME      the site column of the table: default, corpus
//   SITE_DIR  where sapan built that site
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const PAGEFIND = join(HERE, 'node_modules', '.bin', 'pagefind');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
// A query that has not finished after this long has failed.
const QUERY_TIMEOUT = 20000;
// After a query finishes, responses still in flight are counted until the
// network has been quiet this long (Pagefind's UI loads each result's
// fragment after it shows the count).
const QUIET_MS = 300;

const [queriesFile, reportFile, workDir, ...siteArgs] = process.argv.slice(2);
if (!queriesFile || !reportFile || !workDir || siteArgs.length === 0) {
	console.log('usage: node search.mjs QUERIES REPORT WORK NAME=SITE_DIR...');
	console.log('0 passed, 1 failed');
	process.exit(2);
}
let passed = 0, failed = 0;
const ok = () => { passed++; };
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

// ---- the table ----------------------------------------------------------------
function readTable(file) {
	const rows = [];
	readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
		if (line === '' || line.startsWith('#'))
			return;
		const f = line.split('\t');
		if (f.length !== 6) {
			fail(`${file}:${i + 1}: ${f.length} fields, not 6`);
			return;
		}
		const [site, lang, kind, kb, query, first] = f;
		rows.push({ line: i + 1, site, lang, kind, kb: kb === '-' ? null : Number(kb), query, first });
	});
	return rows;
}

// ---- the built site -----------------------------------------------------------
// Every page of a site as "/en/about/" -> its file, and what the
// expectations read from it: the text of its <h1>, and its HTML.
function sitePages(dir) {
	const pages = new Map();
	const walk = (d) => {
		for (const name of readdirSync(d).sort()) {
			const p = join(d, name);
			if (statSync(p).isDirectory()) {
				if (!(d === dir && name === 'fixtures'))
					walk(p);
			}
			else if (name.endsWith('.html'))
				pages.set('/' + relative(dir, p).replace(/(^|\/)index\.html$/, '$1'), p);
		}
	};
	walk(dir);
	const cache = new Map();
	return {
		paths: () => [...pages.keys()],
		has: (path) => pages.has(path),
		html(path) {
			if (!pages.has(path))
				return null;
			if (!cache.has(path))
				cache.set(path, readFileSync(pages.get(path), 'utf8'));
			return cache.get(path);
		},
		h1(path) {
			const m = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(this.html(path) || '');
			return m ? decode(m[1].replace(/<[^>]*>/g, '')) : '';
		},
	};
}

function decode(s) {
	return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
		.replace(/&amp;/g, '&');
}

// Whether path (a site path, or null for no result) is what row.first asks for.
function meets(row, site, path) {
	const want = row.first;
	if (want === 'none')
		return path === null;
	if (path === null)
		return false;
	if (want.startsWith('title:')) {
		const h1 = site.h1(path).toLowerCase();
		return want.slice(6).split('+').every((s) => h1.includes(s.toLowerCase()));
	}
	if (want.startsWith('has:'))
		return (site.html(path) || '').includes(want.slice(4));
	return want.split('|').includes(path);
}

// A wrong expectation would make a test that cannot pass (or one that
// passes for the wrong reason): each must name pages the site has.
function checkExpectation(row, site) {
	const want = row.first;
	if (want === 'none')
		return true;
	if (want.startsWith('title:') || want.startsWith('has:')) {
		const any = site.paths().some((p) => (p.startsWith(`/${row.lang}/`) || p.startsWith('/en/')) &&
			!/\/search\/$/.test(p) && meets(row, site, p));
		if (!any)
			fail(`${basename(queriesFile)}:${row.line}: no page of the ${row.site} site is ${want}`);
		return any;
	}
	const missing = want.split('|').filter((p) => !site.has(p));
	if (missing.length)
		fail(`${basename(queriesFile)}:${row.line}: the ${row.site} site has no page ${missing.join(' ')}`);
	return missing.length === 0;
}

// ---- serving ------------------------------------------------------------------
const servers = [];
function serve(dir) {
	return new Promise((res, rej) => {
		const child = spawn(process.execPath, [join(HERE, 'serve.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
		servers.push(child);
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = /^(\d+)\n/.exec(out);
			if (m)
				res(`http://127.0.0.1:${m[1]}/`);
		});
		child.on('exit', (code) => rej(new Error(`serve.mjs ${dir} exited with ${code}`)));
	});
}

// ---- Pagefind -----------------------------------------------------------------
// A copy of the built site's language folders without sapan's search pages,
// indexed by Pagefind, with a page per language that holds Pagefind's
// default UI and runs ?q= through triggerSearch (the UI picks the index of
// the page's language).
function pagefindSite(name, dir, langs) {
	const copy = resolve(workDir, `${name}-pagefind`);
	rmSync(copy, { recursive: true, force: true });
	mkdirSync(workDir, { recursive: true });
	// Only the languages' pages: the served folder also holds the fixtures.
	for (const lang of langs) {
		cpSync(join(dir, lang), join(copy, lang), { recursive: true });
		rmSync(join(copy, lang, 'search'), { recursive: true, force: true });
	}
	const t0 = Date.now();
	const r = spawnSync(PAGEFIND, ['--site', copy, '--output-subdir', '_pagefind'], { encoding: 'utf8' });
	const secs = (Date.now() - t0) / 1000;
	if (r.status !== 0) {
		fail(`pagefind on the ${name} site: ${r.stderr || r.stdout}`);
		return null;
	}
	const pages = /Indexed (\d+) pages/.exec(r.stdout);
	console.log(`pagefind indexed the ${name} site: ${pages ? pages[1] : '?'} pages in ${secs.toFixed(1)} s`);
	mkdirSync(join(copy, '_ui'), { recursive: true });
	for (const lang of langs) {
		writeFileSync(join(copy, '_ui', `${lang}.html`), `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Pagefind</title>
<link rel="stylesheet" href="../_pagefind/pagefind-ui.css">
<script src="../_pagefind/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>
window.addEventListener('DOMContentLoaded', () => {
	const ui = new PagefindUI({ element: '#search', showImages: false });
	const q = new URLSearchParams(location.search).get('q');
	if (q)
		ui.triggerSearch(q);
});
</script>
</body>
</html>
`);
	}
	return copy;
}

// ---- one query ----------------------------------------------------------------
// Opens url in a fresh context, waits until done(q) holds in the page, then
// until the network is quiet; returns the result hrefs (as site paths), the
// bytes received and the console errors.
async function runQuery(browser, url, q, done, results) {
	const ctx = await browser.newContext(PHONE);
	const page = await ctx.newPage();
	const errors = [];
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	// The page's network events, and those of its workers (Pagefind searches
	// in a Web Worker, whose requests the page's own events do not show):
	// each worker is held at its start until its Network domain is enabled.
	const cdp = await ctx.newCDPSession(page);
	let bytes = 0, inflight = 0, last = Date.now(), id = 0;
	const events = {
		'Network.requestWillBeSent': () => { inflight++; },
		'Network.responseReceived': (e) => {
			if (e.response.status >= 400)
				errors.push(`HTTP ${e.response.status} ${e.response.url}`);
		},
		'Network.loadingFinished': (e) => { bytes += e.encodedDataLength; inflight--; },
		'Network.loadingFailed': () => { inflight--; },
	};
	for (const [name, f] of Object.entries(events))
		cdp.on(name, (e) => { f(e); last = Date.now(); });
	cdp.on('Target.attachedToTarget', async ({ sessionId }) => {
		for (const method of ['Network.enable', 'Runtime.runIfWaitingForDebugger'])
			await cdp.send('Target.sendMessageToTarget',
				{ sessionId, message: JSON.stringify({ id: ++id, method }) }).catch(() => {});
	});
	cdp.on('Target.receivedMessageFromTarget', ({ message }) => {
		const m = JSON.parse(message);
		if (events[m.method]) {
			events[m.method](m.params);
			last = Date.now();
		}
	});
	await cdp.send('Network.enable');
	await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
	let paths = null, items = null, error = null;
	try {
		const resp = await page.goto(url, { waitUntil: 'load' });
		if (!resp || resp.status() !== 200)
			throw new Error(`HTTP status ${resp ? resp.status() : 0} for ${url}`);
		await page.waitForFunction(done, q, { timeout: QUERY_TIMEOUT, polling: 50 });
		const t0 = Date.now();
		while ((inflight > 0 || Date.now() - last < QUIET_MS) && Date.now() - t0 < 5000)
			await new Promise((r) => setTimeout(r, 50));
		items = await page.evaluate(results);
		paths = items.map((r) => decodeURI(new URL(r.href).pathname));
	} catch (e) {
		error = e.message.split('\n')[0];
	}
	return { paths, items, bytes, errors, error, page, ctx };
}

// sapan: the search page's contract: the <ol id="search-results"> gets
// data-state="done" and data-query="<the query>" when a query has finished.
const sapanDone = (q) => {
	const ol = document.getElementById('search-results');
	return !!ol && ol.dataset.state === 'done' && ol.dataset.query === q;
};
// Each result: its link, the language its <li> or link states, whether it
// highlights a word (<mark>), and whether the query's own text was parsed
// as HTML anywhere in the page's main part (it must not be).
const sapanResults = () => [...document.querySelectorAll('#search-results > li')].map((li) => {
	const a = li.querySelector('a[href]');
	const tagged = li.hasAttribute('lang') ? li : a && a.closest('[lang]:not(html)');
	return { href: a ? a.href : '', lang: tagged ? tagged.lang : '', mark: !!li.querySelector('mark'),
		title: a ? a.textContent.trim() : '' };
});
// Pagefind's default UI: done when the first result has its link, or when
// it says it found nothing (its message names the query, and ends in "..."
// while it still searches).
const pagefindDone = (q) => {
	const first = document.querySelector('.pagefind-ui__result');
	if (first)
		return !!first.querySelector('.pagefind-ui__result-link');
	const m = document.querySelector('.pagefind-ui__message');
	return !!m && m.textContent.includes(q) && !m.textContent.trim().endsWith('...');
};
const pagefindResults = () => [...document.querySelectorAll('.pagefind-ui__result')]
	.map((r) => r.querySelector('.pagefind-ui__result-link')).filter(Boolean).map((a) => ({ href: a.href }));

// ---- the run ------------------------------------------------------------------
const rows = readTable(queriesFile);
const named = new Set(siteArgs.map((a) => a.slice(0, a.indexOf('='))));
for (const r of rows.filter((r) => !named.has(r.site)))
	fail(`${basename(queriesFile)}:${r.line}: not run: no ${r.site} site given`);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const measured = [];
const kb = (b) => (b / 1024).toFixed(1);
try {
	for (const arg of siteArgs) {
		const eq = arg.indexOf('=');
		const name = arg.slice(0, eq), dir = resolve(arg.slice(eq + 1));
		const mine = rows.filter((r) => r.site === name);
		if (mine.length === 0) {
			fail(`no query for the ${name} site`);
			continue;
		}
		const site = sitePages(dir);
		const langs = [...new Set(mine.map((r) => r.lang))];
		const origin = await serve(dir);
		const pfDir = pagefindSite(name, dir, langs);
		const pfOrigin = pfDir ? await serve(pfDir) : null;
		console.log(`== the ${name} site: sapan at ${origin}, Pagefind at ${pfOrigin}`);
		const axed = new Set();
		for (const row of mine) {
			const valid = checkExpectation(row, site);
			const q = row.query;
			const m = { row, valid };
			const s = await runQuery(browser, `${origin}${row.lang}/search/?q=${encodeURIComponent(q)}`,
				q, sapanDone, sapanResults);
			m.sapan = { first: s.paths ? s.paths[0] ?? null : undefined, n: s.paths?.length, bytes: s.bytes };
			const what = `${name} /${row.lang}/search/?q=${q}`;
			if (s.error) {
				fail(`${what}: ${s.error}`);
				m.sapan.ok = false;
			} else {
				m.sapan.ok = valid && meets(row, site, m.sapan.first);
				if (m.sapan.ok)
					ok();
				else
					fail(`${what}: first ${m.sapan.first ?? 'nothing'} (of ${s.paths.length}), want ${row.first}`);
			}
			if (!s.error && s.items.length) {
				// What every result shows: a link with a title, its page's
				// language, the words highlighted (in the first result).
				const bad = s.items.map((it, k) => [it, s.paths[k]]).filter(([it, p]) =>
					!it.href || !it.title || it.lang !== p.split('/')[1]);
				if (bad.length)
					fail(`${what}: results without a link, title or their page's lang: ` +
						bad.slice(0, 3).map(([it, p]) => `${p} lang="${it.lang}"`).join(', '));
				else if (!s.items[0].mark)
					fail(`${what}: the first result has no <mark>`);
				else
					ok();
			}
			if (row.query.includes('<')) {
				const injected = await s.page.evaluate(() => document.querySelectorAll('main img').length);
				if (injected)
					fail(`${what}: the query was inserted as HTML`);
				else
					ok();
			}
			if (s.errors.length)
				fail(`${what}: console errors: ${s.errors.join(' | ')}`);
			else
				ok();
			if (row.kb !== null) {
				if (s.bytes > row.kb * 1024)
					fail(`${what}: ${kb(s.bytes)} KB downloaded, over ${row.kb} KB`);
				else
					ok();
			}
			// axe-core on the first search page of each language that shows results.
			if (name === 'default' && !s.error && s.paths.length > 0 && !axed.has(row.lang)) {
				axed.add(row.lang);
				await s.page.addScriptTag({ path: AXE });
				const res = await s.page.evaluate(() => window.axe.run());
				const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
				for (const v of res.violations) {
					const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
					const line = `axe ${v.impact} ${v.id} on ${what}: ${v.help} [${where}]`;
					if (bad.includes(v))
						fail(line);
					else
						console.log(`note: ${line}`);
				}
				if (bad.length === 0)
					ok();
			}
			await s.ctx.close();
			if (pfOrigin) {
				const p = await runQuery(browser, `${pfOrigin}_ui/${row.lang}.html?q=${encodeURIComponent(q)}`,
					q, pagefindDone, pagefindResults);
				m.pagefind = { first: p.paths ? p.paths[0] ?? null : undefined, n: p.paths?.length,
					bytes: p.bytes, ok: !p.error && valid && meets(row, site, p.paths[0] ?? null) };
				if (p.error)
					console.log(`note: Pagefind ${what}: ${p.error}`);
				await p.ctx.close();
			}
			measured.push(m);
		}
		// Without JavaScript the search page is a site index: every page of
		// its language (and maybe others') is linked from it or from the
		// section pages it links to, whose lists are split into numbered
		// pages (page/N/) joined by a pager: a list of every page would not
		// fit the page budget at 10,000 pages. The archive and the
		// publications page are lists of other pages, not pages to find.
		const nojs = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
		for (const lang of langs) {
			const page = await nojs.newPage();
			const resp = await page.goto(`${origin}${lang}/search/`);
			const links = new Set((await page.evaluate(() => [...document.querySelectorAll('main a[href]')]
				.map((a) => a.href))).map((h) => decodeURI(new URL(h).pathname)));
			const sections = (await page.evaluate(() =>
				[...document.querySelectorAll('#site-index h3 a[href]')].map((a) => a.href)))
				.map((h) => decodeURI(new URL(h).pathname));
			// Each section's list, page after page, read from the built files.
			for (const sec of sections) {
				for (let path = sec, n = 1; site.has(path); path = `${sec}page/${++n}/`) {
					const main = /<main[\s\S]*?<\/main>/.exec(site.html(path) || '');
					for (const m of (main ? main[0] : '').matchAll(/<a [^>]*href="([^"]*)"/g))
						links.add(decodeURI(new URL(decode(m[1]), origin + path.slice(1)).pathname));
				}
			}
			const want = site.paths().filter((p) => p.startsWith(`/${lang}/`) &&
				!/^\/[^/]+\/(search|archive|publications)\/(page\/\d+\/)?$/.test(p) && p !== `/${lang}/`);
			const missing = want.filter((p) => !links.has(p));
			if (!resp || resp.status() !== 200)
				fail(`${name} /${lang}/search/ without JavaScript: HTTP status ${resp ? resp.status() : 0}`);
			else if (missing.length)
				fail(`${name} /${lang}/search/ without JavaScript links ${want.length - missing.length} of ` +
					`${want.length} pages; not ${missing.slice(0, 5).join(' ')}${missing.length > 5 ? ' ...' : ''}`);
			else
				ok();
			await page.close();
		}
		await nojs.close();
	}
} finally {
	await browser.close();
	for (const s of servers)
		s.kill();
}

// ---- the tables ---------------------------------------------------------------
const show = (r) => !r ? '(not run)' : r.first === undefined ? 'error' : r.first === null ? '(none)' : r.first;
const mark = (r) => !r ? '' : r.ok ? 'yes' : 'NO';
const lines = [];
lines.push('| site | lang | kind | query | must come first | sapan first | ok | KB | Pagefind first | ok | KB |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const m of measured) {
	const r = m.row;
	lines.push(`| ${r.site} | ${r.lang} | ${r.kind} | ${r.query} | ${r.first.replace(/\|/g, ' or ')} | ` +
		`${show(m.sapan)} | ${mark(m.sapan)} | ${kb(m.sapan.bytes)} | ` +
		`${show(m.pagefind)} | ${mark(m.pagefind)} | ${m.pagefind ? kb(m.pagefind.bytes) : ''} |`);
}
const summary = [];
summary.push('| site | queries | sapan found | Pagefind found | sapan KB (median, max) | Pagefind KB (median, max) |');
summary.push('|---|---|---|---|---|---|');
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const recall = {};
for (const siteName of [...new Set(measured.map((m) => m.row.site))]) {
	for (const lang of ['th', 'en']) {
		const ms = measured.filter((m) => m.row.site === siteName && m.row.lang === lang);
		if (!ms.length)
			continue;
		const s = ms.filter((m) => m.sapan.ok).length;
		const p = ms.filter((m) => m.pagefind?.ok).length;
		recall[`${siteName} ${lang}`] = { s, p, n: ms.length };
		const sb = ms.map((m) => m.sapan.bytes), pb = ms.map((m) => m.pagefind?.bytes ?? 0);
		summary.push(`| ${siteName}, ${lang} search | ${ms.length} | ${s} | ${p} | ` +
			`${kb(median(sb))}, ${kb(Math.max(...sb))} | ${kb(median(pb))}, ${kb(Math.max(...pb))} |`);
	}
}
const report = ['# Search: sapan beside Pagefind 1.6.0', '',
	'Each query opens the search page at 390x844 with an empty cache; KB is every response',
	'body as received (compressed) from the navigation to the results. Pagefind runs its',
	'default UI (`triggerSearch`) on a copy of the same built site.', '',
	...summary, '', ...lines, ''].join('\n');
console.log(report);
mkdirSync(dirname(resolve(reportFile)), { recursive: true });
writeFileSync(reportFile, report);
console.log(`written to ${reportFile}`);

// sapan must find at least as many Thai queries as Pagefind.
for (const [key, r] of Object.entries(recall)) {
	if (!key.endsWith(' th'))
		continue;
	if (r.s < r.p)
		fail(`Thai recall on the ${key.split(' ')[0]} site: sapan ${r.s} of ${r.n}, Pagefind ${r.p}`);
	else
		ok();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
