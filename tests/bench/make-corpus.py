#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a bilingual English/Thai benchmark site in sapan's content format.

usage: make-corpus.py PAGES OUTDIR

PAGES pages per language (English; about 5% have no Thai version), written
to OUTDIR/content with the same output for the same PAGES:

  site.yaml                           titles, base_url, languages en and th
  {en,th}/_index.md, {en,th}/about.md home and one plain page
  {en,th}/projects/_index.md          about 20% of pages are projects
  {en,th}/infosheets/_index.md        the others are infosheets
  {en,th}/<section>/gNN/_index.md     groups of at most 200 pages, so that
                                      no list page grows with the corpus
  {en,th}/<section>/gNN/pNNNNN.md     the pages
  media/*.pdf                         12 small valid PDFs, listed as resources

Pages have headings, paragraphs, lists, links to other pages (a Thai page
links only to pages that have a Thai version) and resources. Projects come
in chains of three phases (previous_phase); when the earlier phase exists
only in English, the Thai later phase points at the English page. Standard
library only.
"""

import os
import random
import shutil
import sys

SEED = 8
GROUP = 200            # pages per folder: bounds every list page
EN_ONLY_SHARE = 0.05
PROJECT_EVERY = 5      # one page in five is a project
CHAIN = 3              # phases per project chain
NPDF = 12

PLACES = [("Mae Sot", "แม่สอด"), ("Umphang", "อุ้มผาง"), ("Tak", "ตาก"),
          ("Mae Ramat", "แม่ระมาด"), ("Phop Phra", "พบพระ"),
          ("Tha Song Yang", "ท่าสองยาง"), ("Chiang Mai", "เชียงใหม่"),
          ("Mae Hong Son", "แม่ฮ่องสอน"), ("Ranong", "ระนอง"),
          ("Kanchanaburi", "กาญจนบุรี")]
GROUPS = [("migrant workers", "แรงงานข้ามชาติ"), ("host communities", "ชุมชนเจ้าบ้าน"),
          ("children", "เด็ก"), ("women's groups", "กลุ่มสตรี"),
          ("health volunteers", "อาสาสมัครสาธารณสุข"), ("teachers", "ครู"),
          ("farmers", "เกษตรกร"), ("families", "ครอบครัว"), ("young people", "เยาวชน"),
          ("village leaders", "ผู้นำหมู่บ้าน")]
TOPICS = [("clean water", "น้ำสะอาด"), ("school meals", "อาหารกลางวันในโรงเรียน"),
          ("health education", "การให้ความรู้ด้านสุขภาพ"),
          ("birth registration", "การจดทะเบียนการเกิด"),
          ("vocational training", "การฝึกอาชีพ"),
          ("malaria prevention", "การป้องกันโรคมาลาเรีย"),
          ("hygiene kits", "ชุดสุขอนามัย"), ("legal advice", "คำปรึกษาด้านกฎหมาย"),
          ("early childhood care", "การดูแลเด็กปฐมวัย"),
          ("waste management", "การจัดการขยะ")]
DONORS = ["European Union", "Example Fund", "Partner Foundation", "Regional Trust"]


def sentences(rng, lang, place, group, topic):
    """A paragraph of 3 to 6 sentences about one place, group and topic."""
    e = lang == "en"
    p, g, t = place[0 if e else 1], group[0 if e else 1], topic[0 if e else 1]
    n = rng.randint(20, 400)
    year = rng.randint(2010, 2024)
    forms = [
        (f"The project works with {g} in {p} on {t}.",
         f"โครงการทำงานร่วมกับ{g}ใน{p}ในเรื่อง{t}"),
        (f"In {year}, {n} {g} took part in training on {t}.",
         f"ในปี {year + 543} {g}จำนวน {n} คนเข้าร่วมการอบรมเรื่อง{t}"),
        (f"Local partners in {p} lead the work, and the district office supports it.",
         f"ภาคีในพื้นที่{p}เป็นผู้นำการดำเนินงาน โดยมีที่ว่าการอำเภอให้การสนับสนุน"),
        (f"Results are reviewed every six months with {g}.",
         f"มีการทบทวนผลการดำเนินงานร่วมกับ{g}ทุกหกเดือน"),
        (f"{t.capitalize()} remains the main need that {g} report.",
         f"{t}ยังคงเป็นความต้องการหลักที่{g}รายงาน"),
        (f"Staff visit {p} each month to follow up with {g}.",
         f"เจ้าหน้าที่ลงพื้นที่{p}ทุกเดือนเพื่อติดตามผลกับ{g}"),
    ]
    picked = rng.sample(forms, rng.randint(3, 6))
    return " ".join(f[0 if e else 1] for f in picked)


def quoted(s):
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Page:
    def __init__(self, i, rng):
        self.i = i
        self.project = i % PROJECT_EVERY == 0
        section = "projects" if self.project else "infosheets"
        self.group = i // GROUP
        self.rel = f"{section}/g{self.group:02d}/p{i:05d}.md"
        self.place = rng.choice(PLACES)
        self.who = rng.choice(GROUPS)
        self.topic = rng.choice(TOPICS)
        self.start = rng.randint(2008, 2022)
        self.date = f"{self.start}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.en_only = False
        self.previous = None  # a Page
        self.has_next = False

    def title(self, lang):
        e = lang == "en"
        t, p = self.topic[0 if e else 1], self.place[0 if e else 1]
        if self.project:
            base = f"{t.capitalize()} Project, {p}" if e else f"โครงการ{t} {p}"
        else:
            base = f"{t.capitalize()} for {self.who[0]} in {p}" if e \
                else f"{t}สำหรับ{self.who[1]}ใน{p}"
        return f"{base} ({self.i})"


def pdf(size):
    """A valid one-page PDF of about size bytes (the padding is a comment)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    out += b"%" + b"x" * max(0, size - 400) + b"\n"
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def front_matter(page, lang, pdfs, rng):
    lines = ["---", f"title: {quoted(page.title(lang))}"]
    e = lang == "en"
    summary = (f"{page.topic[0].capitalize()} with {page.who[0]} in {page.place[0]}." if e
               else f"{page.topic[1]}ร่วมกับ{page.who[1]}ใน{page.place[1]}")
    lines.append(f"summary: {quoted(summary)}")
    lines.append("kind: " + ("project" if page.project else "infosheet"))
    if page.project:
        lines.append("status: " + ("inactive" if page.has_next else "active"))
        lines.append(f"period: {page.start}-{page.start + 3}")
        lines.append(f"location: {quoted(page.place[0 if e else 1])}")
        lines.append("donors:")
        for d in rng.sample(DONORS, 2):
            lines.append(f"  - {d}")
    lines.append(f"date: {page.date}")
    if page.previous:
        prev_lang = "en" if page.previous.en_only else lang
        lines.append(f"previous_phase: /{prev_lang}/{page.previous.rel}")
    if page.i % 3 == 0:
        a, b = rng.sample(range(NPDF), 2)
        lines += ["resources:",
                  f"  - title: {quoted('Summary' if e else 'สรุป')}",
                  "    files:",
                  f"      en: /media/{pdfs[a]}"]
        if not page.en_only:
            lines.append(f"      th: /media/{pdfs[b]}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def body(page, lang, pages, rng):
    e = lang == "en"
    head = [("Background", "ความเป็นมา"), ("Activities", "กิจกรรม"), ("Results", "ผลการดำเนินงาน")]
    out = [sentences(rng, lang, page.place, page.who, page.topic), ""]
    for h in head:
        out += [f"## {h[0 if e else 1]}", ""]
        out += [sentences(rng, lang, page.place, rng.choice(GROUPS), page.topic), ""]
        if h is head[1]:
            for t in rng.sample(TOPICS, 4):
                out.append(f"- {t[0 if e else 1]}")
            out.append("")
    links = []
    for _ in range(3):
        other = pages[rng.randrange(len(pages))]
        if other is page or (not e and other.en_only):
            continue
        links.append(f"[{other.title(lang)}](/{lang}/{other.rel})")
    if links:
        out += [("See also: " if e else "ดูเพิ่มเติม: ") + ", ".join(links) + ".", ""]
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 10:
        sys.exit("usage: make-corpus.py PAGES OUTDIR (PAGES at least 10)")
    n, outdir = int(sys.argv[1]), sys.argv[2]
    content = os.path.join(outdir, "content")
    shutil.rmtree(content, ignore_errors=True)
    rng = random.Random(SEED)
    pages = [Page(i, rng) for i in range(n)]
    for i in rng.sample(range(1, n), round(n * EN_ONLY_SHARE)):
        pages[i].en_only = True
    projects = [p for p in pages if p.project]
    for k, p in enumerate(projects):
        if k % CHAIN:
            p.previous = projects[k - 1]
            projects[k - 1].has_next = True

    pdfs = [f"report-{k:02d}.pdf" for k in range(NPDF)]
    os.makedirs(os.path.join(content, "media"))
    for k, name in enumerate(pdfs):
        with open(os.path.join(content, "media", name), "wb") as f:
            f.write(pdf(4096 + k * k * 3000))

    write(os.path.join(content, "site.yaml"),
          "base_url: https://bench.example.org/\ndefault_language: en\nlanguages:\n"
          "  - code: en\n    name: English\n  - code: th\n    name: ไทย\n"
          "title:\n  en: Benchmark Site\n  th: เว็บไซต์ทดสอบความเร็ว\n")
    fixed = {
        "_index.md": ("Home", "หน้าแรก", "Projects and information sheets.",
                      "โครงการและเอกสารข้อมูล"),
        "about.md": ("About", "เกี่ยวกับเรา", "Who we are.", "เราคือใคร"),
        "projects/_index.md": ("Projects", "โครงการ", "All projects.", "โครงการทั้งหมด"),
        "infosheets/_index.md": ("Information sheets", "เอกสารข้อมูล",
                                 "All information sheets.", "เอกสารข้อมูลทั้งหมด"),
    }
    for section in ("projects", "infosheets"):
        for g in sorted({p.group for p in pages if (section == "projects") == p.project}):
            fixed[f"{section}/g{g:02d}/_index.md"] = (
                f"Group {g}", f"ชุดที่ {g}", f"Pages of group {g}.", f"หน้าในชุดที่ {g}")
    for rel, (te, tt, be, bt) in fixed.items():
        for lang, t, b in (("en", te, be), ("th", tt, bt)):
            write(os.path.join(content, lang, rel), f"---\ntitle: {quoted(t)}\n---\n{b}\n")
    for p in pages:
        for lang in ("en", "th"):
            if lang == "th" and p.en_only:
                continue
            write(os.path.join(content, lang, p.rel),
                  front_matter(p, lang, pdfs, rng) + "\n" + body(p, lang, pages, rng))
    th = sum(1 for p in pages if not p.en_only)
    print(f"{n} en pages, {th} th pages, {len(fixed)} sections and pages per language, "
          f"{NPDF} PDFs in {content}")


if __name__ == "__main__":
    main()
