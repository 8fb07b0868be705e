"""The repository stands on its own: nothing tracked points at a folder beside it.

Someone who clones Kairo has only the clone. Design notes, external-service facts and
fixtures live in docs/ and tests/fixtures/; a link or path into a sibling folder (the
`shared` notes the project was started from) would be dead for them, and a test reading
one would skip in a clean clone.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Spelled in pieces so this file does not match itself.
SIBLING = "shared"
OUTSIDE_REFERENCES = tuple(
    needle.encode()
    for needle in (
        f"../{SIBLING}",
        f"{SIBLING}/DESIGN.md",
        f"{SIBLING}/reference/",
        f"{SIBLING}/fixtures/",
    )
)
SKIPPED_DIRS = {".git", ".venv", "node_modules", "staticfiles", "test-artifacts"}


def tracked_files() -> list[Path]:
    """`git ls-files` in a checkout; every file but tool caches in an exported tree."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return [
            path
            for path in ROOT.rglob("*")
            if path.is_file()
            and not any(
                part in SKIPPED_DIRS or part.endswith("_cache")
                for part in path.relative_to(ROOT).parts
            )
        ]
    return [ROOT / name for name in listed.decode().split("\0") if name]


def references_outside(path: Path) -> list[str]:
    try:
        content = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):  # deleted but not yet staged
        return []
    return [needle.decode() for needle in OUTSIDE_REFERENCES if needle in content]


def test_the_file_list_is_the_repository():
    files = {path.relative_to(ROOT).as_posix() for path in tracked_files()}
    assert {"README.md", "docs/design.md", "tests/test_repository.py"} <= files


def test_no_tracked_file_refers_to_a_folder_beside_the_repository():
    offenders = {
        path.relative_to(ROOT).as_posix(): found
        for path in tracked_files()
        if (found := references_outside(path))
    }
    assert offenders == {}, (
        "These files point outside the repository; copy what they need into docs/ "
        f"(facts, with sources) or tests/fixtures/ (data) and link there: {offenders}"
    )


def test_the_check_would_catch_a_reference(tmp_path):
    planted = tmp_path / "notes.md"
    planted.write_text(f"See [the design](../{SIBLING}/DESIGN.md).")
    assert references_outside(planted) == [f"../{SIBLING}", f"{SIBLING}/DESIGN.md"]
