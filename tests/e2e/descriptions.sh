#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Descriptions made from a page's first paragraph are cut at 160
# characters (not bytes), at a word, Thai words included, and never between
# a Thai consonant and its marks.
source "$(dirname "$0")/lib.bash"
export LC_ALL=C.UTF-8 # wc -m counts characters
D=$WORK/site-dir
mkdir -p "$D"
cp -r "$ROOT/tests/fixtures/basic/content" "$ROOT/templates" "$D/"
cd "$D" || exit 1
TH='โครงการส่งเสริมเสถียรภาพ ความเป็นอยู่ที่ดี และความกลมเกลียว สำหรับชาวมุสลิมเมียนมาและชุมชนเจ้าบ้านในประเทศไทย ซึ่งได้รับการสนับสนุนจากสหภาพยุโรป เพื่อช่วยเหลือผู้ลี้ภัยและแรงงานข้ามชาติที่อาศัยอยู่ตามแนวชายแดนไทยเมียนมาให้เข้าถึงบริการด้านสุขภาพ การศึกษา และการคุ้มครองทางกฎหมาย'
printf -- '---\ntitle: ยาว\n---\n%s\n' "$TH" >content/th/long.md
EN='The project supports stability, well-being and social cohesion for Myanmar Muslims and their Thai host communities, with water, sanitation, education and legal aid along the border.'
printf -- '---\ntitle: Long\n---\n%s\n' "$EN" >content/en/long.md
"$SAPAN" build --quiet >out 2>err
check "builds" test $? = 0

# description FILE: the content of the page's meta description.
description() { sed -n 's/.*<meta name="description" content="\([^"]*\)".*/\1/p' "$1" | head -n 1; }
th=$(description site/th/long/index.html)
en=$(description site/en/long/index.html)
echo "th: $th"
echo "en: $en"
check "Thai: at most 160 characters" test "$(printf '%s' "$th" | wc -m)" -le 160
check "Thai: more than 100 characters are kept" test "$(printf '%s' "$th" | wc -m)" -gt 100
check "Thai: cut at a word (after เพื่อช่วยเหลือ, before ผู้ลี้ภัย)" \
	test "$th" = "${TH%%ผู้ลี้ภัย*}…"
check "English: cut at a space" test "$en" = "The project supports stability, well-being and social cohesion for Myanmar Muslims and their Thai host communities, with water, sanitation, education and legal…"
finish
