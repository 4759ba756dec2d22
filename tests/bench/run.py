#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Times sapan on a generated corpus and prints one table.

usage: run.py SAPAN TEMPLATES PAGES DIR [RUNS]

Writes the corpus (make-corpus.py PAGES) to DIR/corpus unless one of that
size is there, then times four builds, in this order, with one thread and
with as many as there are online CPUs:

  cold        output folder and build cache removed (the OS file cache is
              warm: the corpus was just read or written)
  no change   the same build again
  body edit   one page's text changed
  title edit  one page's title changed (lists and phase links show it)

Each figure is the median of RUNS runs (default 1). Wall time, CPU time
(user + system) and peak resident memory come from wait4() on the sapan
process, so nothing outside the standard library is needed.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Pages the edits change: an infosheet (one list shows it) and a project in
# a chain of phases (its list and the phase links of two pages show it).
BODY_PAGE = "en/infosheets/g00/p00001.md"
TITLE_PAGE = "en/projects/g00/p00005.md"


def timed(cmd, cwd):
    """Runs cmd; returns (wall s, cpu s, peak RSS MiB). Fails loudly."""
    with open(os.path.join(cwd, "bench.stderr"), "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        with open(os.path.join(cwd, "bench.stderr"), encoding="utf-8", errors="replace") as f:
            sys.exit(f"{' '.join(cmd)}: exit status {proc.returncode}\n{f.read()}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024  # Linux: KiB


def corpus(pages, root):
    stamp = os.path.join(root, "pages")
    try:
        with open(stamp) as f:
            if f.read().strip() == str(pages):
                return
    except FileNotFoundError:
        pass
    os.makedirs(root, exist_ok=True)
    start = time.monotonic()
    subprocess.run([sys.executable, os.path.join(HERE, "make-corpus.py"), str(pages), root],
                   check=True, stdout=subprocess.DEVNULL)
    with open(stamp, "w") as f:
        f.write(f"{pages}\n")
    print(f"corpus: {pages} pages per language written in {time.monotonic() - start:.1f} s")


class Edit:
    """Changes one file differently at each call; restore() puts it back."""

    def __init__(self, path, old, new):
        self.path, self.old, self.new, self.n = path, old, new, 0
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        if old not in self.text:
            sys.exit(f"{path}: no '{old}' to edit")

    def apply(self):
        self.n += 1
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.text.replace(self.old, self.new.format(self.n), 1))

    def restore(self):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(self.text)


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.split("\n\n")[1])
    sapan, templates, pages, root = (os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]),
                                     int(sys.argv[3]), os.path.abspath(sys.argv[4]))
    runs = int(sys.argv[5]) if len(sys.argv) == 6 else 1
    work = os.path.join(root, "corpus")
    corpus(pages, work)
    content, out = os.path.join(work, "content"), os.path.join(work, "site")
    cpus = os.cpu_count() or 1
    variants = sorted({1, cpus})
    body = Edit(os.path.join(content, BODY_PAGE), "\n## ", "Edited paragraph {}.\n\n## ")
    title = Edit(os.path.join(content, TITLE_PAGE), 'title: "', 'title: "Edited {} ')

    rows = []
    for jobs in variants:
        cmd = [sapan, "build", "--quiet", "--content", content, "--templates", templates,
               "--output", out, "--jobs", str(jobs)]

        def cold():
            shutil.rmtree(out, ignore_errors=True)
            # The build cache sits beside the output (README, "The build cache").
            shutil.rmtree(os.path.join(work, ".sapan-cache"), ignore_errors=True)

        cases = [("cold", cold), ("no change", None), ("body edit", body.apply),
                 ("title edit", title.apply)]
        cold()
        timed(cmd, work)  # reads the corpus into the OS cache, as an editor would have
        for name, before in cases:
            results = []
            for _ in range(runs):
                if before:
                    before()
                results.append(timed(cmd, work))
            rows.append((name, str(jobs),
                         *(statistics.median(r[k] for r in results) for k in range(3))))
        body.restore()
        title.restore()
    version = subprocess.run([sapan, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; {pages} pages per language; {cpus} CPUs; median of {runs} run(s)")
    print()
    print("| case | threads | wall s | CPU s | peak RSS MiB |")
    print("|---|---|---:|---:|---:|")
    for name, jobs, wall, cpu, rss in rows:
        print(f"| {name} | {jobs} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
