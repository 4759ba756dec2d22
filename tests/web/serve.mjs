// SPDX-License-Identifier: MIT
// A small static file server for the web checks: serves one folder on
// 127.0.0.1 only, on a port the OS picks, and prints that port as its first
// line of output. It behaves like a plain production server: a folder's
// index.html, 404.html with status 404 for anything missing, gzip for text
// when the client asks, and a year of caching for the hashed stylesheet.
// Usage: node serve.mjs DIR
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(process.argv[2] || '.');
const types = {
	'.html': 'text/html; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.json': 'application/json',
	'.wasm': 'application/wasm',
	'.pdf': 'application/pdf',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.svg': 'image/svg+xml',
	'.ico': 'image/x-icon',
};

// Returns the file a URL path names, or null when there is none. A path
// that would leave the root is treated as missing.
async function lookup(urlPath) {
	let rel;
	try {
		rel = decodeURIComponent(urlPath.split('?')[0]);
	} catch {
		return null;
	}
	const file = normalize(join(root, rel));
	if (file !== root && !file.startsWith(root + sep))
		return null;
	try {
		const st = await stat(file);
		if (st.isFile())
			return file;
		if (st.isDirectory()) {
			const index = join(file, 'index.html');
			if ((await stat(index)).isFile())
				return index;
		}
	} catch {
		// missing
	}
	return null;
}

const server = createServer(async (req, res) => {
	let status = 200;
	let file = await lookup(req.url);
	if (!file) {
		status = 404;
		file = await lookup('/404.html');
	}
	if (!file) {
		res.writeHead(404, { 'content-type': 'text/plain' });
		res.end('not found\n');
		return;
	}
	let body = await readFile(file);
	const type = types[extname(file).toLowerCase()] || 'application/octet-stream';
	const headers = { 'content-type': type };
	headers['cache-control'] = /\/assets\/.*\.[0-9a-f]{6,}\./.test(req.url)
		? 'public, max-age=31536000, immutable'
		: 'no-cache';
	if (/^(text\/|application\/(xml|json)|image\/svg)/.test(type) &&
	    /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
		body = gzipSync(body);
		headers['content-encoding'] = 'gzip';
		headers['vary'] = 'Accept-Encoding';
	}
	headers['content-length'] = body.length;
	res.writeHead(status, headers);
	res.end(req.method === 'HEAD' ? undefined : body);
});

server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT'])
	process.on(sig, () => server.close(() => process.exit(0)));
