"""Write a realistic synthetic atlas of N entries, the same for the same seed.

The mix follows the shipped atlas: 6 pathways; 10 to 40 gaps; the rest forums
and initiatives, about 70% of them with 1–4 coverage claims, each with 5–15
related ids and 1–5 sources, and a history on a third of them.

    python benchmarks/make_atlas.py --n 1000 --out /tmp/atlas-1000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "orbital", "debris", "mitigation", "coordination", "spectrum", "licensing", "lunar",
    "proximity", "operations", "data", "sharing", "collision", "avoidance", "sustainability",
    "transparency", "confidence", "building", "capacity", "norms", "standards", "interoperability",
    "registration", "liability", "consultation", "servicing", "constellation", "traffic",
    "awareness",
]
LEVELS = ("strong", "partial", "emerging")
STATUSES = ("proposed", "adopted", "in-force", "ongoing", "concluded")


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


FACTS = {"forum": ["acronym", "pathway", "established", "seat", "membership"], "initiative": ["acronym", "pathway", "status", "started"]}
CATEGORY = "bodies of this kind"


def sources(rng: random.Random, entry_id: str, supports: list[str]) -> str:
    lines = ["sources:"]
    for i in range(rng.randint(1, 5)):
        lines += [
            f"  - title: {sentence(rng, 5)}",
            f"    url: https://example.org/{entry_id}/source-{i}",
            "    publisher: Example Publisher",
            f"    accessed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
        ]
        if i == 0 and supports:
            lines.append(f"    supports: [{', '.join(supports)}]")
    return "\n".join(lines)


def common(rng: random.Random, kind: str, entry_id: str, name: str, supports: list[str] | None = None) -> str:
    return (
        f"id: {entry_id}\nkind: {kind}\nname: {name}\n"
        f"summary: {sentence(rng, rng.randint(12, 30))}\n"
        f"last_reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}\n"
        + sources(rng, entry_id, supports or []) + "\n"
    )


def actor(rng: random.Random, kind: str, entry_id: str, index: int, gaps: list[str], pathways: list[str], forums: list[str], actors: list[str]) -> str:
    led = sorted(set(rng.sample(forums, min(len(forums), rng.randint(1, 2))))) if kind == "initiative" and forums else []
    text = common(rng, kind, entry_id, f"{kind.capitalize()} {index} {rng.choice(WORDS).capitalize()}", FACTS[kind] + (["led_by"] if led else []))
    text += f"acronym: {kind[0].upper()}{index}\npathway: {rng.choice(pathways)}\nwebsite: https://example.org/{entry_id}\n"
    if kind == "forum":
        text += f"established: {rng.randint(1945, 2025)}\nseat: {rng.choice(['Vienna', 'Geneva', 'Paris', 'New York'])}\n"
        text += f"membership:\n  count: {rng.randint(3, 193)}\n  as_of: 2025-06-25\n  note: members\n"
    else:
        text += f"status: {rng.choice(STATUSES)}\nstarted: {rng.randint(1990, 2026)}\n"
        if led:
            text += f"led_by: [{', '.join(led)}]\n"
    chosen = rng.sample(gaps, min(len(gaps), rng.randint(1, 5)))
    if rng.random() < 0.7:
        text += "addresses:\n"
        for gap in chosen[:4]:
            if rng.random() < 0.2:  # a claim made of a group the entry belongs to
                text += (
                    f"  - gap: {gap}\n    level: emerging\n    basis: category\n    note: {sentence(rng, 10)}\n"
                    f"    evidence: \"{sentence(rng, 6)[:-1]} {CATEGORY} {sentence(rng, 6).lower()}\"\n"
                    f"    source: https://example.org/{entry_id}/source-0\n    category: {CATEGORY}\n"
                    f"    category_source: https://example.org/{entry_id}/source-0\n"
                )
            else:
                text += (
                    f"  - gap: {gap}\n    level: {rng.choice(LEVELS)}\n    basis: named\n    note: {sentence(rng, 10)}\n"
                    f"    evidence: \"{sentence(rng, 14)}\"\n    source: https://example.org/{entry_id}/source-0\n"
                )
        if len(chosen) == 5 and rng.random() < 0.3:  # a case of a gap it does not claim
            text += (
                f"illustrates:\n  - gap: {chosen[4]}\n    note: {sentence(rng, 10)}\n"
                f"    evidence: \"{sentence(rng, 12)}\"\n    source: https://example.org/{entry_id}/source-0\n"
            )
    else:
        text += f"coverage_note: {sentence(rng, 16)}\n"
    others = [a for a in rng.sample(actors, min(len(actors), 16)) if a != entry_id][: rng.randint(5, 15)]
    if others:
        text += f"related: [{', '.join(others)}]\n"
    if rng.random() < 1 / 3:
        text += "history:\n" + "".join(
            f"  - date: {rng.randint(1960, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n    event: {sentence(rng, 8)}\n"
            for _ in range(rng.randint(1, 4))
        )
    return text


def write_atlas(n: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write ``n`` entries under ``out`` (kind folders); return the count per kind."""
    rng = random.Random(seed)
    pathways = [f"pathway-{i}" for i in range(6)]
    gap_count = max(10, min(40, n // 25))
    gaps = [f"gap-{i}" for i in range(gap_count)]
    actor_count = max(0, n - len(pathways) - gap_count)
    kinds = ["forum" if i % 2 == 0 else "initiative" for i in range(actor_count)]
    actor_ids = [f"{kind}-{i}" for i, kind in enumerate(kinds)]
    forums = [a for a, k in zip(actor_ids, kinds, strict=True) if k == "forum"]
    for folder in ("forums", "gaps", "initiatives", "pathways"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    for i, pid in enumerate(pathways):
        (out / "pathways" / f"{pid}.yaml").write_text(common(rng, "pathway", pid, f"Pathway {i}"), encoding="utf-8")
    for i, gid in enumerate(gaps):
        (out / "gaps" / f"{gid}.yaml").write_text(common(rng, "gap", gid, f"Gap {i} {rng.choice(WORDS)}"), encoding="utf-8")
    for i, (aid, kind) in enumerate(zip(actor_ids, kinds, strict=True)):
        text = actor(rng, kind, aid, i, gaps, pathways, forums, actor_ids)
        (out / f"{kind}s" / f"{aid}.yaml").write_text(text, encoding="utf-8")
    return {"pathway": len(pathways), "gap": gap_count, "forum": len(forums), "initiative": actor_count - len(forums)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="number of entries")
    parser.add_argument("--out", type=Path, required=True, help="entries folder to write (created)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(write_atlas(args.n, args.out, args.seed))


if __name__ == "__main__":
    main()
