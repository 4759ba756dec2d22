// SPDX-License-Identifier: MIT
// The search page's script (only that page loads it). It reads the index
// sapan build writes beside the page (generator/search.h): terms.txt, the
// vocabulary with the shard of each term, then only the shards of the
// query's words (s<k>.txt) and the page records of the results shown
// (d<k>.txt). A query is split as the index was: Thai by longest match
// against the vocabulary (Intl.Segmenter for what it lacks), English words
// by the vocabulary's own word-to-stem table, Thai digits as Arabic ones.
// Results are built from text nodes only: nothing from the index is ever
// parsed as HTML.
(function (root) {
	'use strict';
	var PAGE = 10; // results shown at a time
	var EXCERPT = 180; // characters of a result's excerpt
	var PREFIX_MAX = 30; // words a prefix stands for

	// terms.txt: "sapan-search 1 NDOCS CHUNK NSHARDS", then one line per
	// shard of space-separated terms; an English stem carries its words
	// ("educ|+ation|+ate").
	function loadVocab(get) {
		return get('terms.txt').then(function (text) {
			var lines = text.split('\n');
			var head = lines[0].split(' ');
			var v = { chunk: +head[3], where: new Map(), words: new Map(), sorted: null, longest: 1 };
			for (var k = 0; k < +head[4]; k++) {
				var entries = lines[k + 1] ? lines[k + 1].split(' ') : [];
				for (var j = 0; j < entries.length; j++) {
					var parts = entries[j].split('|'), term = parts[0];
					v.where.set(term, [k, j]);
					if (parts.length === 1)
						v.words.set(term, term);
					for (var i = 1; i < parts.length; i++) {
						var w = parts[i].charAt(0) === '+' ? term + parts[i].slice(1) : parts[i];
						v.words.set(w, term);
					}
					if (term.length > v.longest)
						v.longest = term.length;
				}
			}
			v.sorted = Array.from(v.words.keys()).sort();
			return v;
		});
	}

	// The typing faults the build's Thai tidying fixes (generator/thaitidy.h).
	function tidy(s) {
		return s.normalize('NFC')
			.replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
			.replace(/\u0e4d([\u0e48-\u0e4b]?)\u0e32/g, '$1\u0e33')
			.replace(/([\u0e48-\u0e4c])([\u0e31\u0e34-\u0e3a])/g, '$2$1')
			.replace(/\u0e33([\u0e48-\u0e4b])/g, '$1\u0e33')
			.replace(/([\u0e31\u0e33-\u0e3a\u0e47-\u0e4e])\1+/g, '$1')
			.normalize('NFC');
	}

	var THAI = /[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]/;
	var LATIN = /[a-zA-Z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0e50-\u0e59]/;

	// As the build lower-cases: ASCII, Latin-1, Latin Extended-A pairs.
	function lower(c) {
		var n = c.charCodeAt(0);
		if ((n >= 65 && n <= 90) || (n >= 0xc0 && n <= 0xde && n !== 0xd7))
			return String.fromCharCode(n + 32);
		if (n >= 0x100 && n <= 0x137 && n % 2 === 0)
			return String.fromCharCode(n + 1);
		if (n >= 0xe50 && n <= 0xe59)
			return String.fromCharCode(n - 0xe50 + 48);
		return c;
	}

	// Runs of Thai letters and of Latin letters and digits, as the build cuts.
	function runs(q) {
		var out = [], i = 0;
		while (i < q.length) {
			var c = q.charAt(i);
			if (THAI.test(c)) {
				var j = i;
				while (j < q.length && THAI.test(q.charAt(j)))
					j++;
				out.push({ thai: true, text: q.slice(i, j), end: j });
				i = j;
			} else if (LATIN.test(c)) {
				var w = '';
				while (i < q.length) {
					c = q.charAt(i);
					if (LATIN.test(c))
						w += lower(c);
					else if ((c === "'" || c === '\u2019') && /[a-z\u00c0-\u024f]/i.test(w) &&
						 LATIN.test(q.charAt(i + 1)) && !/[0-9\u0e50-\u0e59]/.test(q.charAt(i + 1)))
						w += "'";
					else
						break;
					i++;
				}
				out.push({ thai: false, text: w, end: i });
			} else {
				i++;
			}
		}
		return out;
	}

	// The words of the vocabulary that start with p (at most PREFIX_MAX).
	function withPrefix(v, p) {
		var lo = 0, hi = v.sorted.length;
		while (lo < hi) {
			var mid = (lo + hi) >> 1;
			if (v.sorted[mid] < p)
				lo = mid + 1;
			else
				hi = mid;
		}
		var out = [];
		for (var i = lo; i < v.sorted.length && out.length < PREFIX_MAX &&
		     v.sorted[i].lastIndexOf(p, 0) === 0; i++)
			out.push(v.sorted[i]);
		return out;
	}

	// A Thai run split by longest match against the vocabulary; where no
	// word of it starts, the browser's word segmenter says where the
	// unknown word ends. The last run, while typed, may end in a prefix.
	function thaiWords(v, run, prefix) {
		var out = [], i = 0, seg = null;
		while (i < run.length) {
			var rest = run.slice(i);
			if (prefix && withPrefix(v, rest).length) {
				out.push({ text: rest, prefix: true });
				break;
			}
			var j = Math.min(run.length, i + v.longest);
			while (j > i && !v.words.has(run.slice(i, j)))
				j--;
			if (j === i) {
				if (!seg && window.Intl && Intl.Segmenter)
					seg = Array.from(new Intl.Segmenter('th', { granularity: 'word' }).segment(run));
				j = run.length;
				for (var k = 0; seg && k < seg.length; k++)
					if (seg[k].index + seg[k].segment.length > i) {
						j = seg[k].index + seg[k].segment.length;
						break;
					}
			}
			out.push({ text: run.slice(i, j), prefix: false });
			i = j;
		}
		return out;
	}

	// An English word the vocabulary lacks: the longest stem it starts
	// with, so that another form of a word still finds it.
	function nearestStem(v, w) {
		for (var n = w.length - 1; n >= 4; n--)
			if (v.where.has(w.slice(0, n)) && !/^[0-9]+$/.test(w.slice(0, n)))
				return w.slice(0, n);
		return w;
	}

	// The query's words: each with the terms it stands for and the words
	// to highlight.
	function parse(v, q) {
		q = tidy(q);
		var rs = runs(q), words = [];
		var typing = !/\s$/.test(q);
		rs.forEach(function (r, n) {
			var last = typing && n === rs.length - 1 && r.end === q.length;
			var parts = r.thai ? thaiWords(v, r.text, last) : [{ text: r.text, prefix: last }];
			parts.forEach(function (p) {
				var forms = p.prefix ? withPrefix(v, p.text) : [];
				var terms = forms.map(function (f) { return v.words.get(f); });
				if (!p.prefix || !forms.length) {
					var t = v.words.get(p.text);
					terms = [t !== undefined ? t : r.thai ? p.text : nearestStem(v, p.text)];
				}
				var marks = [p.text].concat(forms);
				v.words.forEach(function (term, w) {
					if (terms.indexOf(term) >= 0 && marks.length < 60)
						marks.push(w);
				});
				words.push({ terms: terms.filter(function (t, i) { return terms.indexOf(t) === i; }),
					     marks: marks });
			});
		});
		return words;
	}

	var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
	var TF = [1, 2, 4, 8];

	// One term's line of a shard: weight classes, each a gap list or a bitmap.
	function postings(line, add) {
		line.split(' ').forEach(function (g) {
			if (!g)
				return;
			var c = +g.charAt(0), title = c >= 4, tf = TF[c & 3], data = g.slice(2), doc = -1;
			if (g.charAt(1) === 'b') {
				for (var i = 0; i < data.length; i++) {
					var bits = B64.indexOf(data.charAt(i));
					for (var b = 0; b < 6; b++)
						if (bits & (1 << b))
							add(i * 6 + b, title, tf);
				}
				return;
			}
			var gap = 0, shift = 0;
			for (var k = 0; k < data.length; k++) {
				var d = B64.indexOf(data.charAt(k));
				gap += (d & 31) * Math.pow(2, shift);
				shift += 5;
				if (!(d & 32)) {
					doc += gap + 1;
					add(doc, title, tf);
					gap = shift = 0;
				}
			}
		});
	}

	// Pages that have every word (or, when none has, the most words),
	// titles first, then by how often the words occur.
	function rank(v, words, get) {
		var needed = new Set();
		words.forEach(function (w) {
			w.terms.forEach(function (t) {
				if (v.where.has(t))
					needed.add(v.where.get(t)[0]);
			});
		});
		return Promise.all(Array.from(needed).map(function (k) {
			return get('s' + k + '.txt').then(function (text) { return [k, text.split('\n')]; });
		})).then(function (loaded) {
			var shards = new Map(loaded);
			var docs = new Map();
			words.forEach(function (w, n) {
				w.terms.forEach(function (t) {
					var at = v.where.get(t);
					if (!at)
						return;
					postings(shards.get(at[0])[at[1]] || '', function (doc, title, tf) {
						var d = docs.get(doc);
						if (!d)
							docs.set(doc, d = { id: doc, seen: new Set(), titles: 0, tf: 0 });
						if (!d.seen.has(n)) {
							d.seen.add(n);
							d.titles += title;
						}
						d.tf += tf;
					});
				});
			});
			var all = Array.from(docs.values()), best = 0;
			all.forEach(function (d) { best = Math.max(best, d.seen.size); });
			return all.filter(function (d) { return d.seen.size === best; }).sort(function (a, b) {
				return b.titles - a.titles || b.tf - a.tf || a.id - b.id;
			});
		});
	}

	// The page record of a result: link, title, language, excerpt.
	function record(v, id, get) {
		var chunk = Math.floor(id / v.chunk);
		return get('d' + chunk + '.txt').then(function (text) {
			var f = (text.split('\n')[id - chunk * v.chunk] || '').split('\t');
			return { url: f[0], title: f[1] || '', lang: f[2] || '', excerpt: f[3] || '' };
		});
	}

	// An index read through get(name), a promise of a file's text: the
	// vocabulary once, then the shards and records a query needs.
	function Index(get) {
		var cache = {};
		this.get = function (name) {
			if (!cache[name])
				cache[name] = get(name);
			return cache[name];
		};
		this.vocab = null;
	}
	Index.prototype.load = function () {
		if (!this.vocab)
			this.vocab = loadVocab(this.get);
		return this.vocab;
	};
	// A promise of the query's words and its ranked results ({id, ...}).
	Index.prototype.query = function (q) {
		var get = this.get;
		return this.load().then(function (v) {
			var words = q.trim() ? parse(v, q) : [];
			return (words.length ? rank(v, words, get) : Promise.resolve([])).then(function (r) {
				return { words: words, results: r };
			});
		});
	};
	Index.prototype.record = function (id) {
		var get = this.get;
		return this.load().then(function (v) { return record(v, id, get); });
	};
	root.SapanSearch = Index;

	var form = root.document && document.querySelector('form[role="search"]');
	var input = form && form.querySelector('input[name="q"]');
	var list = root.document && document.getElementById('search-results');
	var status = root.document && document.getElementById('search-status');
	var more = root.document && document.getElementById('search-more');
	var siteIndex = root.document && document.getElementById('site-index');
	if (!input || !list || !root.fetch)
		return;
	var base = list.getAttribute('data-index') || './';
	var index = new Index(function (name) {
		return fetch(base + name).then(function (r) {
			if (!r.ok)
				throw new Error(name + ': ' + r.status);
			return r.text();
		});
	});
	var shown = [];
	var run = 0;

	function escapeRe(s) {
		return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	}

	// Appends text to el with every match of re in a <mark>.
	function marked(el, text, re) {
		var at = 0, m;
		if (re)
			re.lastIndex = 0;
		while (re && (m = re.exec(text)) && m[0]) {
			el.appendChild(document.createTextNode(text.slice(at, m.index)));
			var mk = document.createElement('mark');
			mk.textContent = m[0];
			el.appendChild(mk);
			at = m.index + m[0].length;
		}
		el.appendChild(document.createTextNode(text.slice(at)));
	}

	function item(r, re) {
		var li = document.createElement('li');
		var a = document.createElement('a');
		a.href = r.url;
		if (r.lang)
			a.lang = r.lang;
		marked(a, r.title, re);
		li.appendChild(a);
		var other = r.lang && r.lang !== document.documentElement.lang;
		var label = other && list.getAttribute('data-lang-' + r.lang);
		if (label) {
			li.appendChild(document.createTextNode(' '));
			var small = document.createElement('small');
			small.textContent = '(' + label + ')';
			li.appendChild(small);
		}
		if (r.excerpt) {
			var p = document.createElement('p');
			if (r.lang)
				p.lang = r.lang;
			// The record holds the start of the page's text: the excerpt is
			// EXCERPT characters of it around the first word found.
			var text = r.excerpt, m = re && (re.lastIndex = 0, re.exec(text));
			var from = 0, to, sp;
			if (m && m.index > EXCERPT / 2) {
				from = m.index - EXCERPT / 4;
				sp = text.lastIndexOf(' ', from);
				if (sp > from - 30)
					from = sp + 1;
			}
			to = Math.min(text.length, from + EXCERPT);
			sp = text.indexOf(' ', to);
			if (sp >= 0 && sp - to < 30)
				to = sp;
			text = (from > 0 ? '\u2026' : '') + text.slice(from, to) + (to < text.length ? '\u2026' : '');
			marked(p, text, re);
			li.appendChild(p);
		}
		return li;
	}

	function say(key, n) {
		var s = list.getAttribute('data-' + key) || '';
		status.textContent = s.replace('{n}', n);
	}

	// Shows the next PAGE results.
	function showMore(results, re, id) {
		var next = results.slice(list.children.length, list.children.length + PAGE);
		return Promise.all(next.map(function (d) { return index.record(d.id); })).then(function (recs) {
			if (id !== run)
				return;
			recs.forEach(function (r) { list.appendChild(item(r, re)); });
			if (more)
				more.hidden = list.children.length >= results.length;
		});
	}

	function search(q) {
		var id = ++run;
		list.setAttribute('data-state', 'loading');
		var done = function () {
			if (id !== run)
				return;
			list.setAttribute('data-query', q);
			list.setAttribute('data-state', 'done');
		};
		// The stylesheet hides the site index where scripts run: it is shown
		// in the results' place while there is no query.
		if (siteIndex)
			siteIndex.classList.toggle('shown', !q.trim());
		list.hidden = !q.trim();
		index.query(q).then(function (found) {
			var words = found.words, results = found.results;
			if (id !== run)
				return;
			while (list.firstChild)
				list.removeChild(list.firstChild);
			var marks = [];
			words.forEach(function (w) { marks = marks.concat(w.marks); });
			marks.sort(function (a, b) { return b.length - a.length; });
			var re = marks.length ? new RegExp(marks.map(escapeRe).join('|'), 'gi') : null;
			shown = [results, re];
			if (!q.trim())
				status.textContent = '';
			else
				say(results.length === 1 ? 'found-one' : results.length ? 'found' : 'none',
				    results.length);
			return showMore(results, re, id);
		}).then(done, function () {
			if (id === run) {
				say('failed', 0);
				done();
			}
		});
	}

	var timer = 0;
	input.addEventListener('input', function () {
		clearTimeout(timer);
		timer = setTimeout(function () {
			var url = new URL(location.href);
			url.searchParams.set('q', input.value);
			history.replaceState(null, '', url);
			search(input.value);
		}, 200);
	});
	form.addEventListener('submit', function (e) {
		e.preventDefault();
		clearTimeout(timer);
		search(input.value);
	});
	if (more)
		more.addEventListener('click', function () {
			var id = run, before = list.children.length;
			showMore(shown[0], shown[1], id).then(function () {
				var first = list.children[before];
				var link = first && first.querySelector('a');
				if (link)
					link.focus();
			});
		});
	var q = new URLSearchParams(location.search).get('q');
	if (q !== null) {
		input.value = q;
		search(q);
	} else {
		if (siteIndex)
			siteIndex.classList.add('shown');
		list.hidden = true;
	}
})(this);
