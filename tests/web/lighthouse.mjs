// SPDX-License-Identifier: MIT
// Runs Lighthouse (mobile, its default: a simulated mid-range phone on a
// slow 4G connection) on each URL given, prints the four scores and fails a
// page under 95 for performance or under 100 for accessibility, best
// practices or SEO. Ends with "N passed, N failed".
// Usage: node lighthouse.mjs URL...
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const MIN = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };
const chrome = await chromeLauncher.launch({
	chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
	chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
		'--no-first-run', '--disable-background-networking', '--disable-component-update',
		'--disable-sync'],
});
let passed = 0, failed = 0;
try {
	for (const url of process.argv.slice(2)) {
		const result = await lighthouse(url, {
			port: chrome.port, output: 'json', logLevel: 'error',
			onlyCategories: Object.keys(MIN),
		});
		const lhr = result.lhr;
		if (lhr.runtimeError)
			console.log(`error on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
		const scores = Object.keys(MIN).map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]);
		console.log(`lighthouse ${url}: ` + scores.map(([c, s]) => `${c} ${s}`).join(', '));
		for (const [c, s] of scores) {
			if (s >= MIN[c]) {
				passed++;
				continue;
			}
			failed++;
			console.log(`FAIL ${c} ${s} < ${MIN[c]} on ${url}`);
			// Say which audits cost the points.
			for (const ref of lhr.categories[c]?.auditRefs ?? []) {
				const a = lhr.audits[ref.id];
				if (ref.weight > 0 && a && a.score !== null && a.score < 1)
					console.log(`  ${a.id}: ${a.title} (score ${a.score}${a.displayValue ? ', ' + a.displayValue : ''})`);
			}
		}
	}
} finally {
	await chrome.kill();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
