"""Check that every relative link in README.md and docs/*.md resolves: the file exists and, for a
link with #anchor into a Markdown file, a heading gives that anchor (GitHub's rule). Links inside
code blocks are ignored. Exit 1, listing the broken links, otherwise 0.

    .venv/bin/python scripts/check_doc_links.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(path: Path) -> set[str]:
    found = set()
    for line in re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M).splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            title = re.sub(r"[^\w\- ]", "", title)
            found.add(title.replace(" ", "-"))
    return found


def broken_links(files: list[Path]) -> list[str]:
    problems = []
    for source in files:
        for target in LINK.findall(prose(source.read_text())):
            if re.match(r"^[a-z]+:", target):
                continue  # http:, https:, mailto:
            path_part, _, anchor = target.partition("#")
            resolved = (source.parent / path_part).resolve() if path_part else source
            if not resolved.exists():
                problems.append(f"{source.relative_to(PROJECT_DIR)}: {target} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                problems.append(f"{source.relative_to(PROJECT_DIR)}: {target} (no such heading)")
    return problems


def main() -> int:
    files = [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
    problems = broken_links(files)
    print("\n".join(problems) or f"every relative link resolves ({len(files)} files)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
