#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Raw HTML: by default cmark's safe mode leaves it out; markdown.unsafe_html
# in site.yaml passes embeds through. In both modes no generated file holds
# a javascript: URL, whether written as a Markdown link, an autolink or
# (unsafe mode) inside raw HTML. (An autolink's text stays visible as text:
# "javascript:alert(2)" shown on the page is not a link and runs nothing.)
# A '>' inside a quoted attribute value does not hide a tag's URL, and a
# 3 MB inline SVG is scanned within 2 s (tests/e2e/limits.sh).
source "$(dirname "$0")/lib.bash"

# no_script_url: no attribute of any generated file starts with javascript:,
# and the word appears nowhere but as the refused autolink's visible text
# (the search records hold that text too: the script shows it as text).
no_script_url() {
	! grep -rEqi "=[\"']?[[:space:]]*javascript:" site &&
		! find site -type f ! -path '*/search/*.txt' -exec cat {} + |
			sed 's|<a href="">javascript:alert(2)</a>||g' | grep -qi 'javascript:'
}
D=$WORK/site-dir
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
cat >content/en/video.md <<'PAGE'
---
title: Video
---
Watch the film:

<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Film"></iframe>

A [bad link](javascript:alert(1)) and an autolink <javascript:alert(2)>.

<a href="javascript:alert(3)">raw link</a>
PAGE

"$SAPAN" build --quiet >out 2>err
check "safe: builds" test $? = 0
P=site/en/video/index.html
check "safe: the iframe is left out" lacks "$P" "<iframe"
check "safe: cmark's placeholder is there" contains "$P" "<!-- raw HTML omitted -->"
check "safe: no javascript: URL in any file" no_script_url
check "safe: the link warning" contains err "content/en/video.md:8:14: warning: javascript: URLs are not allowed in links; the link is rendered without it"
check "safe: the autolink warning" contains err "content/en/video.md:8:52: warning: javascript: URLs are not allowed in links"
check "safe: two warnings" test "$(wc -l <err)" = 2

printf 'markdown:\n  unsafe_html: true\n' >>content/site.yaml
"$SAPAN" build --quiet >out 2>err
check "unsafe: builds" test $? = 0
check "unsafe: the iframe passes through" contains "$P" '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Film"></iframe>'
check "unsafe: no javascript: URL in any file" no_script_url
check "unsafe: the raw link is left out" contains err "content/en/video.md:10: warning: raw HTML with a javascript: or vbscript: URL is not allowed"
check "unsafe: three warnings" test "$(wc -l <err)" = 3

# A '>' inside a quoted attribute value does not end the tag.
cat >content/en/bypass.md <<'PAGE'
---
title: Bypass
---
Click <a title=">" href="javascript:alert(1)">here</a>.

<a title='>' href=javascript:alert(2)>raw</a>
PAGE
"$SAPAN" build --quiet >out 2>err
check "bypass: builds" test $? = 0
check "bypass: no javascript: URL in any file" no_script_url
check "bypass: the inline tag is left out" contains err "content/en/bypass.md:4: warning: raw HTML with a javascript: or vbscript: URL is not allowed"
check "bypass: the block is left out" contains err "content/en/bypass.md:6: warning: raw HTML with a javascript: or vbscript: URL is not allowed"
rm content/en/bypass.md

finish
