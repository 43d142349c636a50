#!/usr/bin/env python3
"""Every link in README.md and docs/*.md stays inside the repository.

A relative link must name a file or folder of the clone (anchors and
line suffixes aside); a link with a scheme (http:, https:, file:, ...) or
an absolute path is refused, and so is any mention of ../shared, where the
project's private specs live: someone with only the clone has none of those.
    check_links.py SOURCE_DIR
Exit status 0 when every link holds, 1 otherwise (each bad one printed).
"""
import glob
import os
import re
import sys

root = os.path.realpath(sys.argv[1])
pages = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
link = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
bad = []
for page in pages:
    text = open(page, encoding="utf-8").read()
    rel = os.path.relpath(page, root)
    for n, line in enumerate(text.splitlines(), 1):
        if "../shared" in line or "/work/shared" in line:
            bad.append(f"{rel}:{n}: mentions the private specs: {line.strip()}")
        for target in link.findall(line):
            if target.startswith("#"):
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("/"):
                bad.append(f"{rel}:{n}: link outside the repository: {target}")
                continue
            path = os.path.realpath(os.path.join(os.path.dirname(page), target.split("#")[0]))
            if not (path == root or path.startswith(root + os.sep)):
                bad.append(f"{rel}:{n}: link outside the repository: {target}")
            elif not os.path.exists(path):
                bad.append(f"{rel}:{n}: link to a missing file: {target}")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
