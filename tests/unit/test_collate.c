/* SPDX-License-Identifier: MIT */
/*
 * Dictionary order (collate.c): known Thai orders that code-point order
 * gets wrong, English order, and ranks that do not depend on input order.
 */
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "test.h"

/* Checks that rank puts texts, given in order, in that order, from both the
 * given and the reversed input. */
static void check_order(const char *lang, const char *const *texts, size_t n)
{
	const char *rev[16];
	unsigned rank[16], rrank[16];
	REQUIRE(n <= 16);
	for (size_t i = 0; i < n; i++)
		rev[i] = texts[n - 1 - i];
	CHECK_INT(collate_rank(lang, texts, n, rank), 0);
	CHECK_INT(collate_rank(lang, rev, n, rrank), 0);
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(rank[i], i);
		CHECK_INT(rrank[n - 1 - i], i);
	}
}

/* A known Thai order that code-point order breaks: the words with a
 * leading vowel (เ โ) go among the others, by their consonant. */
static void thai_menu_order(void)
{
	static const char *const order[] = { "เกี่ยวกับ", "คลังโครงการ", "ความช่วยเหลือ",
					     "โครงการ",   "อภิธานศัพท์", "เอกสารข้อมูล" };
	check_order("th", order, 6);
	CHECK(strcmp(order[0], order[1]) > 0); /* code-point order would be wrong */
}

/* Leading vowels sort by the consonant they precede; then the vowel. */
static void thai_leading_vowels(void)
{
	static const char *const order[] = { "กา", "เก", "แก", "โก", "ใก", "ไก", "ขา" };
	check_order("th", order, 7);
}

/* Tone marks are a secondary difference: they decide only between words
 * whose letters are the same (กา < ก่า < ก้า), and never before a letter
 * does (ก่า < กาง, though ่ comes after า in code points). */
static void thai_tone_marks(void)
{
	static const char *const order[] = { "กา", "ก่า", "ก้า", "กาง", "ข่า" };
	check_order("th", order, 5);
	CHECK(collate_compare("th", "ก่า", "กาง") < 0);
	CHECK(collate_compare("th", "ไก่", "ไก้") < 0);
}

/* Clusters: ความ (ค ว) comes before โครงการ (ค ร after the leading โ),
 * and คลัง (ค ล) before ความ. */
static void thai_clusters(void)
{
	CHECK(collate_compare("th", "ความ", "โครงการ") < 0);
	CHECK(collate_compare("th", "คลัง", "ความ") < 0);
	CHECK(collate_compare("th", "ความ", "ความ") == 0);
}

/* English: case is a lesser difference than letters; Thai titles in an
 * English list come after Latin ones, and Latin after Thai in a Thai list. */
static void english_and_mixed(void)
{
	static const char *const en[] = { "about", "About", "Glossary", "zeta", "เกี่ยวกับ" };
	check_order("en", en, 5);
	static const char *const th[] = { "เกี่ยวกับ", "โครงการ", "About", "Glossary" };
	check_order("th", th, 4);
}

/* Equal texts share a rank; an empty list is fine. */
static void equal_and_empty(void)
{
	static const char *const texts[] = { "ข", "ก", "ข" };
	unsigned rank[3];
	CHECK_INT(collate_rank("th", texts, 3, rank), 0);
	CHECK_INT(rank[0], 1);
	CHECK_INT(rank[1], 0);
	CHECK_INT(rank[2], 1);
	CHECK_INT(collate_rank("th", NULL, 0, rank), 0);
}

TEST_LIST(T(thai_menu_order), T(thai_leading_vowels), T(thai_tone_marks), T(thai_clusters),
	  T(english_and_mixed), T(equal_and_empty));
TEST_MAIN()
