"""A real-text archive for benchmarks: openly licensed prose that installs from Debian's
registry, with the shipped document and the multi-document test corpus placed inside it as
the needles. Nothing large is committed: the archive is assembled under ``--out``, with
``ARCHIVE.json`` recording the packages, their versions and licences, and every file.

    apt-get install -y python3.11-doc debian-handbook debian-reference-en git-doc   # (root)
    python -m benchmarks.archive [--out embeddings/archive] [--files N]

The distractors are HTML pages: Python's manual (library and language reference, tutorial,
HOWTOs, FAQs, "what's new"), the Debian Administrator's Handbook (English), the Debian
Reference (English) and Git's manual (its commands' pages, guides and technical notes),
read by the same HTML reader as any corpus file; the needles are
Markdown and plain text. ``--files`` keeps the first N pages of each package in a fixed
order (for smaller haystacks); the order is sorted by path, so a size is reproducible.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

from benchmarks.common import ROOT

PACKAGES = {
    "python3.11-doc": {
        "root": Path("/usr/share/doc/python3.11/html"),
        "parts": ("library", "reference", "tutorial", "howto", "faq", "whatsnew", "using",
                  "extending", "c-api", "distributing", "installing"),
        "pattern": "*.html",
        "licence": "PSF-2.0 (see /usr/share/doc/python3.11-doc/copyright)",
    },
    "debian-handbook": {
        "root": Path("/usr/share/doc/debian-handbook/html"),
        "parts": ("en-US",),
        "pattern": "*.html",
        "licence": "GPL-2.0+ or CC-BY-SA-3.0 (see /usr/share/doc/debian-handbook/copyright)",
    },
    "debian-reference-en": {
        "root": Path("/usr/share/debian-reference"),
        "parts": (".",),
        "pattern": "*.en.html",
        "licence": "GPL-2.0+ (see /usr/share/doc/debian-reference-en/copyright)",
    },
    "git-doc": {
        "root": Path("/usr/share/doc/git-doc"),
        "parts": (".",),
        "pattern": "*.html",
        "licence": "GPL-2.0 (see /usr/share/doc/git/copyright)",
    },
}  # fmt: skip
NEEDLES = ROOT / "tests" / "data" / "multidoc" / "corpus"  # holds the shipped document too
DISTRACTORS = "distractors"


def distractor_files(package: str) -> list[Path]:
    """The package's HTML pages, in a fixed order (sorted by path)."""
    spec = PACKAGES[package]
    root: Path = spec["root"]
    if not root.is_dir():
        raise SystemExit(f"{root} is missing: run `apt-get install -y {package}` first")
    return sorted(p for part in spec["parts"] for p in (root / part).rglob(spec["pattern"]))


def version(package: str) -> str:
    """The installed Debian version of ``package`` ("" when dpkg does not know it)."""
    done = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                          capture_output=True, text=True, check=False)  # fmt: skip
    return done.stdout.strip()


def assemble(
    out: Path, files: int | None = None, packages: tuple[str, ...] = tuple(PACKAGES)
) -> dict:
    """Write the archive to ``out`` (replacing it): the needles at its top, the distractors
    of ``packages`` under ``distractors/<package>/``; return (and write) its record."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    needles = sorted(p.name for p in NEEDLES.iterdir() if p.is_file())
    for name in needles:
        shutil.copyfile(NEEDLES / name, out / name)
    record = {"needles": needles, "packages": [], "distractor_files": 0}
    for package in packages:
        spec = PACKAGES[package]
        chosen = distractor_files(package)[:files]
        for path in chosen:
            target = out / DISTRACTORS / package / path.relative_to(spec["root"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        record["packages"].append({"name": package, "version": version(package),
                                   "licence": spec["licence"], "files": len(chosen)})  # fmt: skip
        record["distractor_files"] += len(chosen)
    (out / "ARCHIVE.json").write_text(json.dumps(record, indent=1) + "\n")
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.archive", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "embeddings" / "archive" / "corpus")
    parser.add_argument("--files", type=int, help="keep the first N distractor pages")
    args = parser.parse_args(argv)
    record = assemble(args.out, args.files)
    print(f"wrote {args.out}: {len(record['needles'])} needles, "
          f"{record['distractor_files']} distractor files")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
