// SPDX-License-Identifier: MIT
// Runs the Nu HTML Checker (vnu.jar on the system Java) once over every
// .html and .css file under the folders given, prints each error as
// "file:line:col: error: message", and counts a file as passed when it has
// none. Ends with "N passed, N failed".
// Usage: node vnu.mjs DIR...
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const JAR = join(require.resolve('vnu-jar/package.json'), '..', 'build', 'dist', 'vnu.jar');

const files = [];
const walk = (d) => {
	for (const name of readdirSync(d).sort()) {
		const p = join(d, name);
		if (statSync(p).isDirectory())
			walk(p);
		else if (/\.(html|css)$/.test(name))
			files.push(p);
	}
};
for (const dir of process.argv.slice(2))
	walk(dir);
if (files.length === 0) {
	console.log('FAIL no files to check');
	console.log('0 passed, 1 failed');
	process.exit(1);
}

// JVM start-up is most of the time, so one run checks every file.
const run = spawnSync('java', ['-jar', JAR, '--errors-only', '--also-check-css', '--format', 'json',
	...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (run.error || (run.status !== 0 && run.status !== 1)) {
	console.log(`FAIL vnu did not run: ${run.error || run.stderr}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
}
let messages;
try {
	messages = JSON.parse(run.stderr).messages;
} catch {
	console.log(`FAIL cannot read vnu output: ${run.stderr.slice(0, 500)}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
}
const bad = new Map();
for (const m of messages) {
	if (m.type !== 'error' && !(m.type === 'non-document-error'))
		continue;
	const file = m.url ? fileURLToPath(m.url) : '(vnu)';
	bad.set(file, (bad.get(file) || 0) + 1);
	console.log(`${relative(process.cwd(), file)}:${m.lastLine ?? 0}:${m.firstColumn ?? m.lastColumn ?? 0}: error: ${m.message}`);
}
let passed = 0, failed = 0;
for (const f of files) {
	if (bad.has(f))
		failed++;
	else
		passed++;
}
if (bad.has('(vnu)'))
	failed++;
console.log(`vnu: ${files.length} files checked, ${messages.length} messages`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
