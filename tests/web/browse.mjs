// SPDX-License-Identifier: MIT
// Checks built pages in Chromium (playwright-core): axe-core at a phone
// viewport (and its contrast rule again in dark mode), page weight, no
// script (but the search page's own), Open Graph tags, the print style, no horizontal overflow at
// 320 px, and full-page screenshots. Prints one line per failure, the weights, and ends with
// "N passed, N failed".
//
// Usage: node browse.mjs ORIGIN SITE_DIR SHOT_DIR [FIXTURE_DIR...]
//   ORIGIN       where SITE_DIR is served, e.g. http://127.0.0.1:41234/
//   SITE_DIR     the default site: every check runs on each of its pages
//   SHOT_DIR     screenshots of the project pages go here
//   FIXTURE_DIR  sites served under ORIGIN/fixtures/<name>/: overflow only
import { readdirSync, readFileSync, statSync, mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
// Budgets from issue 4, in bytes before compression.
const PAGE_BUDGET = 30 * 1024;
const CSS_BUDGET = 10 * 1024;
// The pages photographed: a project page and the home page in each language,
// and the root page (logo and name above the language choice).
const SHOTS = { 'en/projects/aup-ii/': 'en-project.png', 'th/projects/aup-ii/': 'th-project.png',
	'en/': 'en-home.png', 'th/': 'th-home.png', '': 'root.png' };
// The header (logo, organisation, site title) and the footer (contact, other
// sites, footer text) alone, in each language.
const PARTS = { 'en/': 'en', 'th/': 'th' };
// The Open Graph locale of each language's pages.
const LOCALES = { en: 'en_US', th: 'th_TH' };

const [origin, siteDir, shotDir, ...fixtureDirs] = process.argv.slice(2);
let passed = 0, failed = 0;
const ok = () => { passed++; };
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

// Every .html file under dir, as a URL path relative to the site root:
// "index.html" -> "", "en/about/index.html" -> "en/about/".
function pages(dir) {
	const out = [];
	const walk = (d) => {
		for (const name of readdirSync(d).sort()) {
			const p = join(d, name);
			if (statSync(p).isDirectory()) {
				if (!(d === dir && name === 'fixtures'))
					walk(p);
			} else if (name.endsWith('.html')) {
				out.push(relative(dir, p).replace(/(^|\/)index\.html$/, '$1'));
			}
		}
	};
	walk(dir);
	return out;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const phone = await browser.newContext({
	viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
});
const dark = await browser.newContext({
	viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
	colorScheme: 'dark',
});
const narrow = await browser.newContext({
	viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
});

// Loads url in ctx; returns the page and every response it loaded, with
// its size before compression.
async function open(ctx, url) {
	const page = await ctx.newPage();
	const loads = [];
	page.on('response', (r) => {
		loads.push(r.body().then((b) => ({ url: r.url(), type: r.request().resourceType(),
			status: r.status(), bytes: b.length }), () => ({ url: r.url(),
			type: r.request().resourceType(), status: r.status(), bytes: 0 })));
	});
	const resp = await page.goto(url, { waitUntil: 'load' });
	return { page, status: resp ? resp.status() : 0, loads: await Promise.all(loads) };
}

// Fails when the page is wider than its layout viewport (it would scroll
// sideways or be zoomed out); names the widest element that sticks out.
async function checkOverflow(ctx, url, name) {
	const { page } = await open(ctx, url);
	const r = await page.evaluate(() => {
		const de = document.documentElement;
		let culprit = '';
		if (de.scrollWidth > de.clientWidth) {
			// The last (innermost) element that sticks out or whose
			// text overflows its own box.
			for (const el of document.body.querySelectorAll('*')) {
				const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 &&
					getComputedStyle(el).overflowX === 'visible';
				if (spills || el.getBoundingClientRect().right > de.clientWidth + 0.5) {
					culprit = `<${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}> ` +
						(el.textContent || '').trim().slice(0, 40);
				}
			}
		}
		return { sw: de.scrollWidth, cw: de.clientWidth, culprit };
	});
	if (r.sw > r.cw)
		fail(`overflow at 320px: ${name}: scrollWidth ${r.sw} > clientWidth ${r.cw} ${r.culprit}`);
	else
		ok();
	await page.close();
}

// The stylesheet budget.
const cssDir = join(siteDir, 'assets');
for (const f of readdirSync(cssDir).filter((f) => f.endsWith('.css'))) {
	const n = statSync(join(cssDir, f)).size;
	console.log(`css ${f}: ${n} bytes (budget ${CSS_BUDGET})`);
	if (!/^style\.[0-9a-f]{6,}\.css$/.test(f))
		fail(`stylesheet name carries no content hash: ${f}`);
	else if (n > CSS_BUDGET)
		fail(`stylesheet ${f} is ${n} bytes, over ${CSS_BUDGET}`);
	else
		ok();
}

mkdirSync(shotDir, { recursive: true });
const list = pages(siteDir);
console.log(`${list.length} pages of the default site; weights are HTML + local resources, uncompressed:`);
for (const path of list) {
	const url = new URL(path, origin).href;
	const name = '/' + path;
	const { page, status, loads } = await open(phone, url);
	if (status !== 200)
		fail(`${name}: HTTP status ${status}`);

	// Weight: every response from our origin; nothing from elsewhere, no
	// scripts but the search page's own (its weight counts).
	const searchPage = /(^|\/)search\/$/.test(path);
	let bytes = 0;
	const parts = [];
	for (const l of loads) {
		if (!l.url.startsWith(origin)) {
			fail(`${name}: loads ${l.url} from another site`);
			continue;
		}
		if (l.type === 'script' && !(searchPage && /\/assets\/search\.js$/.test(l.url)))
			fail(`${name}: loads a script ${l.url}`);
		bytes += l.bytes;
		parts.push(`${basename(new URL(l.url).pathname) || 'index'} ${l.bytes}`);
	}
	console.log(`weight ${name}: ${bytes} bytes (${parts.join(', ')})`);
	if (bytes > PAGE_BUDGET)
		fail(`${name}: ${bytes} bytes, over the ${PAGE_BUDGET}-byte budget`);
	else
		ok();
	const html = readFileSync(join(siteDir, path.endsWith('.html') ? path : path + 'index.html'), 'utf8');
	const scripts = html.match(/<script\b[^>]*>/gi) || [];
	const allowed = searchPage ? /^<script src="(\.\.\/)+assets\/search\.js" defer>$/ : null;
	if (scripts.some((s) => !allowed || !allowed.test(s)) || (searchPage && scripts.length !== 1))
		fail(`${name}: has a <script> element (${scripts.join(' ')})`);
	else
		ok();

	// axe-core: no serious or critical violation.
	await page.addScriptTag({ path: AXE });
	const res = await page.evaluate(() => window.axe.run());
	const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	for (const v of res.violations) {
		const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ');
		const line = `axe ${v.impact} ${v.id} on ${name}: ${v.help} [${where}]`;
		if (bad.includes(v))
			fail(line);
		else
			console.log(`note: ${line}`);
	}
	if (bad.length === 0)
		ok();

	// Social previews: Open Graph title, description, locale of the page's
	// language and the other language's locale when it has a version there.
	const lang = path.split('/')[0];
	if (LOCALES[lang]) {
		const og = await page.evaluate(() => {
			const all = (p) => [...document.querySelectorAll(`meta[property="${p}"]`)].map((m) => m.content);
			return { title: all('og:title'), desc: all('og:description'), locale: all('og:locale'),
				alt: all('og:locale:alternate'),
				hreflangs: [...document.querySelectorAll('link[rel=alternate][hreflang]')].map((l) => l.hreflang) };
		});
		const wantAlt = Object.keys(LOCALES).filter((l) => l !== lang && og.hreflangs.includes(l))
			.map((l) => LOCALES[l]);
		if (og.title.length !== 1 || !og.title[0] || og.desc.length !== 1 || !og.desc[0] ||
		    og.locale.join() !== LOCALES[lang] || og.alt.sort().join() !== wantAlt.sort().join())
			fail(`${name}: Open Graph tags ${JSON.stringify(og)}`);
		else
			ok();
	}

	// Print: no navigation; the address of every full link written after it.
	await page.emulateMedia({ media: 'print' });
	const pr = await page.evaluate(() => {
		const shown = [...document.querySelectorAll('nav, .skip')].filter((e) => e.getClientRects().length);
		const bare = [...document.querySelectorAll('main a[href^="http"], aside a[href^="http"]')]
			.filter((a) => {
				const c = getComputedStyle(a, '::after').content;
				return !c.includes('attr(href)') && !c.includes(a.getAttribute('href'));
			});
		return { shown: shown.map((e) => e.outerHTML.slice(0, 60)), bare: bare.map((a) => a.href) };
	});
	if (pr.shown.length || pr.bare.length)
		fail(`${name}: print shows ${pr.shown.join(' ')}; links without their URL: ${pr.bare.join(' ')}`);
	else
		ok();
	await page.emulateMedia({ media: 'screen' });

	if (SHOTS[path]) {
		const file = join(shotDir, SHOTS[path]);
		await page.screenshot({ path: file, fullPage: true });
		console.log(`screenshot ${name} -> ${file}`);
		ok();
	}
	if (PARTS[path] !== undefined) {
		for (const [sel, part] of [['header.top', 'header'], ['footer.foot', 'footer']]) {
			const file = join(shotDir, `${PARTS[path]}-${part}.png`);
			await page.locator(sel).screenshot({ path: file });
			console.log(`screenshot ${name} ${part} -> ${file}`);
			ok();
		}
	}
	await page.close();

	// Dark mode: axe's colour contrast rule again with the dark colours.
	const d = await open(dark, url);
	await d.page.addScriptTag({ path: AXE });
	const dres = await d.page.evaluate(() => window.axe.run({ runOnly: ['color-contrast'] }));
	if (dres.violations.length)
		fail(`dark mode contrast on ${name}: ${dres.violations[0].nodes.map((n) => n.target.join(' ')).join('; ')}`);
	else
		ok();
	if (SHOTS[path]) {
		const file = join(shotDir, SHOTS[path].replace('.png', '-dark.png'));
		await d.page.screenshot({ path: file, fullPage: true });
		console.log(`screenshot ${name} (dark) -> ${file}`);
	}
	await d.page.close();
	await checkOverflow(narrow, url, name);
}
for (const [path, file] of Object.entries(SHOTS)) {
	if (!list.includes(path))
		fail(`no page ${path} to photograph for ${file}`);
}

// Fixture sites: nothing may overflow at 320 px there either (they hold the
// long words, URLs and tables).
for (const dir of fixtureDirs) {
	const fx = basename(dir);
	for (const path of pages(dir))
		await checkOverflow(narrow, new URL(`fixtures/${fx}/${path}`, origin).href, `fixtures/${fx}/${path}`);
}

// The identity fixture has every identity key (the default site gives no
// contact details): its footer with the address, e-mail and phone, and
// axe-core on its home and root pages.
if (fixtureDirs.some((d) => basename(d) === 'identity')) {
	for (const [path, shot] of [['th/', 'identity-th'], ['en/', 'identity-en'], ['', 'identity-root']]) {
		const { page } = await open(phone, new URL(`fixtures/identity/${path}`, origin).href);
		await page.addScriptTag({ path: AXE });
		const res = await page.evaluate(() => window.axe.run());
		const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		if (bad.length)
			fail(`fixtures/identity/${path}: ${bad.map((v) => v.id).join(', ')}`);
		else
			ok();
		const parts = path ? [['footer.foot', 'footer'], ['header.top', 'header']] : [['body', 'page']];
		for (const [sel, part] of parts) {
			const file = join(shotDir, `${shot}${path ? '-' + part : ''}.png`);
			await page.locator(sel).screenshot({ path: file });
			console.log(`screenshot fixtures/identity/${path} ${part} -> ${file}`);
		}
		await page.close();
	}
}

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
