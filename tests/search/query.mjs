// SPDX-License-Identifier: MIT
// Runs the search page's script (templates/assets/search.js) in node,
// without a browser, against an index sapan built, and prints the ranked
// results of each query: one line per query, "QUERY<TAB>URL URL ...".
// Usage: node tests/search/query.mjs SCRIPT INDEX_DIR QUERY...
// The script sees no document, so it only defines its index reader.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import vm from 'node:vm';

const [script, dir, ...queries] = process.argv.slice(2);
const sandbox = { Promise, Map, Set, Intl, Array, Math, RegExp, String, Error };
vm.createContext(sandbox);
vm.runInContext(await readFile(script, 'utf8'), sandbox);
const fetched = [];
const index = new sandbox.SapanSearch((name) => {
	fetched.push(name);
	return readFile(join(dir, name), 'utf8');
});
for (const q of queries) {
	const { results } = await index.query(q);
	const urls = [];
	for (const r of results.slice(0, 5))
		urls.push((await index.record(r.id)).url);
	console.log(`${q}\t${results.length}\t${urls.join(' ')}`);
}
