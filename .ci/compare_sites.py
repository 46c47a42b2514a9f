"""Compare two built sites file by file, ignoring only the generator meta tag (``<meta name="generator" …>``).

    python .ci/compare_sites.py SITE_A SITE_B

Zip files (the offline copy) are compared member by member, and gzip files (the sitemap)
by their content, with the same rule. Exits 0 when the sites are the same, 1 with the
differing paths (and the first differing line of each) otherwise.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
import zipfile
from pathlib import Path

GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def normalised(name: str, data: bytes) -> bytes:
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return GENERATOR_META.sub(b'<meta name="generator">', data)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def differences(a: dict[str, bytes], b: dict[str, bytes], where: str = "") -> list[str]:
    found = [f"{where}{name}: only in the first" for name in sorted(set(a) - set(b))]
    found += [f"{where}{name}: only in the second" for name in sorted(set(b) - set(a))]
    for name in sorted(set(a) & set(b)):
        if a[name] == b[name]:
            continue
        if name.endswith(".zip"):
            found += differences(members(a[name]), members(b[name]), f"{where}{name}!")
            continue
        left, right = normalised(name, a[name]), normalised(name, b[name])
        if left != right:
            line = next((i for i, (x, y) in enumerate(zip(left.splitlines(), right.splitlines(), strict=False), 1) if x != y), None)
            found.append(f"{where}{name}: differs" + (f" from line {line}" if line else " in length"))
    return found


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = differences(files(Path(argv[0])), files(Path(argv[1])))
    for line in found:
        print(line)
    print(f"{len(found)} difference{'s' if len(found) != 1 else ''} beyond the generator meta tag", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
