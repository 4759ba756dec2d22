// SPDX-License-Identifier: MIT
// The offline copy (sapan build --offline) opened from file:// in Chromium
// at 390x844, as from a USB stick on a phone: on three pages (the language
// page, a project, the Thai publications page), every link is followed;
// each page it leads to must load whole (no failed request, a title, its
// stylesheet applied), and each file (a PDF) must exist. The language
// switcher must lead to the other language's version and back. Ends with
// "N passed, N failed".
//
// Usage: node offline.mjs DIR   (the offline copy's folder)
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
const STARTS = ['index.html', 'en/projects/aup-ii/index.html', 'th/publications/index.html'];

const dir = resolve(process.argv[2]);
const base = pathToFileURL(dir + '/').href;
let passed = 0, failed = 0;
const ok = () => { passed++; };
const fail = (msg) => { failed++; console.log(`FAIL ${msg}`); };

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const phone = await browser.newContext({
	viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
});
// Nothing may leave the machine: a request to another site is refused
// (and not counted as a failure of the copy).
await phone.route(/^https?:/, (route) => route.abort());
const page = await phone.newPage();
let failures = [];
page.on('requestfailed', (r) => {
	if (r.url().startsWith('file:'))
		failures.push(`${r.url()} (${r.failure()?.errorText})`);
});

// Opens url and returns what the page is, or null after reporting why not.
async function open(url, from) {
	failures = [];
	try {
		await page.goto(url, { waitUntil: 'load' });
	} catch (e) {
		fail(`${from}: ${url} does not open: ${e.message.split('\n')[0]}`);
		return null;
	}
	const got = await page.evaluate(() => ({
		title: document.title,
		lang: document.documentElement.lang,
		// The stylesheet sets the body's margin to 0 (a browser's own is 8px);
		// its rules cannot be read from file://.
		styled: document.styleSheets.length === 1 &&
			getComputedStyle(document.body).marginTop === '0px',
		listing: !!document.querySelector('#parentDirLinkBox, .dirlisting'),
	}));
	if (failures.length)
		fail(`${from}: ${url}: failed loads: ${failures.join(', ')}`);
	else if (!got.title || got.listing)
		fail(`${from}: ${url}: not a page of the site (a folder listing?)`);
	else if (!got.styled)
		fail(`${from}: ${url}: the stylesheet is not applied`);
	else
		ok();
	return got;
}

for (const start of STARTS) {
	const url = base + start;
	if (!(await open(url, 'start')))
		continue;
	const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
	const local = [...new Set(links.map((h) => h.split('#')[0]))]
		.filter((h) => h.startsWith('file:'));
	if (local.length < 2)
		fail(`${start}: only ${local.length} links to follow`);
	for (const href of local) {
		if (!href.startsWith(base)) {
			fail(`${start}: ${href} leaves the copy`);
			continue;
		}
		const path = fileURLToPath(href);
		if (!existsSync(path) || statSync(path).isDirectory()) {
			fail(`${start}: ${href} names no file`);
		} else if (!href.endsWith('.html')) {
			ok(); // a document: it exists; a browser downloads it
		} else {
			await open(href, start);
		}
	}
}

// The switcher: English to Thai and back, on the same project.
const project = 'en/projects/aup-ii/index.html';
if (await open(base + project, 'switcher')) try {
	await page.click('nav.langs a[hreflang="th"]', { timeout: 5000 });
	await page.waitForLoadState('load');
	const th = await page.evaluate(() => document.documentElement.lang);
	if (page.url() === base + 'th/projects/aup-ii/index.html' && th === 'th')
		ok();
	else
		fail(`the switcher leads from ${project} to ${page.url()} (lang ${th})`);
	await page.click('nav.langs a[hreflang="en"]', { timeout: 5000 });
	await page.waitForLoadState('load');
	if (page.url() === base + project)
		ok();
	else
		fail(`the switcher leads back to ${page.url()}`);
} catch (e) {
	fail(`the switcher does not work: ${e.message.split('\n')[0]}`);
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
