"""Time each stage of the atlas at several sizes and write benchmarks/RESULTS.md.

    python benchmarks/run.py                      # N = 100, 1,000, 10,000 (about 20 minutes on 2 cores)
    python benchmarks/run.py --sizes 200 --runs 1 --out /tmp/results.md   # a quick look

Every stage runs in a process of its own, several times; the table gives the
median wall time and the peak memory of the process and its workers.
Targets are checked as ratios measured in the same run, so that a slow or busy
machine moves both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_atlas import write_atlas  # noqa: E402

PY = sys.executable
STAGES = ("floor", "check", "core", "build", "build-prerendered", "pdf", "serve")
PDF_SIZES = [100, 1000]
SERVE_SIZES = [1000, 10000]


@dataclass
class Measure:
    """The runs of one stage at one size."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    output: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb) if self.peak_mb else 0.0


def env_for(entries: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ATLAS_ENTRIES": str(entries), "NO_MKDOCS_2_WARNING": "1", "ATLAS_DOWNLOADS": "0"}
    env.update(extra)
    return env


def _memory_kb(pid: int) -> int:
    """A process's share of memory in kB: its proportional set size (pages shared with
    forked workers count once across them), or its resident set where /proc has no rollup."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
    except (OSError, StopIteration, ValueError):
        status = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def tree_memory_mb(pid: int) -> float:
    """The memory of a process and all its descendants now, in MB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += _memory_kb(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total / 1024


class TreeMemory(threading.Thread):
    """Samples the memory of a process tree ten times a second; keeps the peak of the sum."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, tree_memory_mb(self.pid))


def timed(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Run a command; return wall seconds, peak resident memory in MB, and its standard output.

    The peak is the larger of the process's own maximum resident set and the sampled
    sum over the process and its workers (the PDF lays out parts in worker processes,
    and large atlases are checked and rendered by forked workers too).
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        sampler.done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-3000:]}")
    return elapsed, max(usage.ru_maxrss / 1024, sampler.peak), stdout


def command_for(stage: str, entries: Path, work: Path) -> tuple[list[str], dict[str, str], Path]:
    if stage == "floor":
        return [PY, str(HERE / "stages.py"), "floor", str(entries)], env_for(entries), ROOT
    if stage == "check":
        return [PY, "-m", "generator", "check", "--entries", str(entries)], env_for(entries), ROOT
    if stage == "core":
        return [PY, str(HERE / "stages.py"), "core", str(entries)], env_for(entries), ROOT
    if stage == "build":
        return [PY, "-m", "mkdocs", "build", "--quiet", "-d", str(work / "site")], env_for(entries), ROOT
    if stage == "build-prerendered":
        pre = work / "prerendered"
        if not (pre / "mkdocs.yml").exists():
            timed([PY, str(HERE / "stages.py"), "prerender", str(entries), str(pre)], env_for(entries))
        return [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(pre / "mkdocs.yml"), "-d", str(work / "site-pre")], env_for(entries), pre
    if stage == "pdf":
        return [PY, "-m", "generator", "pdf", "--entries", str(entries), "--out", str(work / "atlas.pdf")], env_for(entries), ROOT
    raise ValueError(stage)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def served_path() -> str:
    """The path `mkdocs serve` serves the site under: that of mkdocs.yml's site_url."""
    found = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    path = urllib.parse.urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


def measure_serve(entries: Path, runs: int) -> Measure:
    """Seconds from saving one entry to the rebuilt page being served by `mkdocs serve`."""
    measure = Measure()
    port = free_port()
    target = sorted((entries / "forums").glob("*.yaml"))[0]
    url = f"http://127.0.0.1:{port}{served_path()}forums/{target.stem}/"
    server = subprocess.Popen(
        [PY, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env_for(entries), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    original = target.read_text(encoding="utf-8")
    try:
        deadline = time.time() + 1800
        while fetch(url) is None:
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError("mkdocs serve did not start")
            time.sleep(0.5)
        for run in range(runs):
            marker = f"Renamed {run} {time.time_ns()}"
            lines = [f"name: {marker}" if line.startswith("name: ") else line for line in original.splitlines()]
            started = time.perf_counter()
            target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            while marker not in (fetch(url) or ""):
                if time.perf_counter() - started > 900:
                    raise RuntimeError("the page was not rebuilt within 15 minutes")
                time.sleep(0.05)
            measure.seconds.append(time.perf_counter() - started)
    finally:
        target.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=60)
    return measure


def run_size(n: int, runs: int, stages: tuple[str, ...], work_root: Path, log) -> dict[str, Measure]:
    entries = work_root / f"atlas-{n}" / "entries"
    if not entries.exists():
        write_atlas(n, entries, seed=1)
    work = entries.parent
    results: dict[str, Measure] = {}
    for stage in stages:
        if (stage == "pdf" and n not in PDF_SIZES) or (stage == "serve" and n not in SERVE_SIZES):
            continue
        if stage == "serve":
            results[stage] = measure_serve(entries, runs)
            log(f"N={n:>6} {stage:<18} median {results[stage].median:7.2f} s")
            continue
        stage_runs = 1 if n >= 10_000 or (stage == "pdf" and n >= 1000) else runs
        measure = Measure()
        for _ in range(stage_runs):
            command, env, cwd = command_for(stage, entries, work)
            seconds, peak, stdout = timed(command, env, cwd)
            measure.seconds.append(seconds)
            measure.peak_mb.append(peak)
            if stdout.strip().startswith("{"):
                measure.output = json.loads(stdout.strip().splitlines()[-1])
        results[stage] = measure
        log(f"N={n:>6} {stage:<18} median {measure.median:7.2f} s  peak {measure.peak:7.1f} MB  {measure.output or ''}")
    return results


def versions() -> str:
    names = ("mkdocs", "mkdocs-material", "PyYAML", "Jinja2", "Markdown", "nh3", "weasyprint")
    found = []
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{name} {metadata.version(name)}")
    return f"Python {platform.python_version()}; " + ", ".join(found)


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict[int, dict[str, Measure]]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue, where the run measured it."""
    def med(n: int, stage: str) -> float | None:
        return results.get(n, {}).get(stage).median if stage in results.get(n, {}) else None

    def peak(n: int, stage: str) -> float | None:
        return results.get(n, {}).get(stage).peak if stage in results.get(n, {}) else None

    rows: list[tuple[str, str, bool | None]] = []
    big, mid = max(results), sorted(results)[-2] if len(results) > 1 else None
    if (r := ratio(med(big, "core"), med(big, "floor"))) is not None:
        rows.append((f"core ≤ 2× the C-loader floor at N={big:,}", f"{r:.2f}×", r <= 2))
    if mid and (r := ratio(med(big, "core"), med(mid, "core"))) is not None:
        rows.append((f"core at N={big:,} ≤ 11× core at N={mid:,}", f"{r:.2f}×", r <= 11))
    if (m := peak(big, "check")) is not None:
        rows.append((f"peak memory of check at N={big:,} ≤ 500 MB", f"{m:.0f} MB", m <= 500))
    for n in sorted(results):
        build, pre = med(n, "build"), med(n, "build-prerendered")
        if build and pre and n == 1000:
            overhead = (build - pre) / build
            rows.append(("hook overhead ≤ 10% of the build at N=1,000", f"{overhead:.1%} ({build:.1f} s vs {pre:.1f} s)", overhead <= 0.10))
    if big >= 10_000 and (b := med(big, "build")) is not None:
        rows.append((f"full build at N={big:,} about 90 s or less", f"{b:.0f} s", b <= 100))
    if big >= 10_000 and (r := ratio(med(big, "build"), med(big, "build-prerendered"))) is not None:
        rows.append((f"full build at N={big:,} ≤ 1.15× the pre-rendered build", f"{r:.2f}×", r <= 1.15))
    for n in sorted(results):
        serve, build = med(n, "serve"), med(n, "build")
        if serve and build:
            r = serve / build
            rows.append((f"preview of a saved entry at N={n:,} ≤ 1/5 of the full build", f"{r:.2f}× ({serve:.1f} s vs {build:.1f} s)", r <= 0.2))
    if (p := med(1000, "pdf")) is not None:
        mem = peak(1000, "pdf") or 0
        rows.append(("PDF of 1,000 entries within 2 minutes and 2 GB", f"{p:.0f} s, {mem:.0f} MB", p <= 120 and mem <= 2048))
    for n in sorted(results):
        core = results[n].get("core")
        if core and core.output:
            rows.append((f"largest entry page at N={n:,} (bounded)", f"{core.output['largest_entry_page']:,} bytes", None))
    return rows


def write_results(results: dict[int, dict[str, Measure]], out: Path, runs: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py` on a machine with {os.cpu_count()} cores; {versions()}.",
        f"Median of {runs} runs per stage (1 run at 10,000 entries, and for the PDF of 1,000); "
        "peak memory is the larger of the process's own peak resident set and the peak of its and its workers' "
        "proportional set sizes added up (memory shared after a fork counts once).",
        "Synthetic atlases from `benchmarks/make_atlas.py` (seed 1): 6 pathways, 10–40 gaps, "
        "forums and initiatives with claims, related ids, sources and history.",
        "",
        "| stage | " + " | ".join(f"N={n:,}" for n in sorted(results)) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for stage in STAGES:
        cells = []
        for n in sorted(results):
            m = results[n].get(stage)
            cells.append(f"{m.median:.2f} s" + (f", {m.peak:.0f} MB" if m.peak_mb else "") if m and m.seconds else "—")
        if any(c != "—" for c in cells):
            lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    lines += ["", "Stages: `floor` parses every file with PyYAML's C loader and nothing else; `check` is `python -m generator check`; "
              "`core` loads, validates, links and renders every page in memory; `build` is `mkdocs build` with the search plugin "
              "(downloads off); `build-prerendered` builds the same pages written out as Markdown, with only the MkDocs side of the hook "
              "(`benchmarks/prerendered_hook.py`), so the difference is the core's work inside the build; `pdf` is "
              "`python -m generator pdf`; `serve` is the time from saving one entry to its rebuilt page under `mkdocs serve`.", "",
              "| target | measured | met |", "|---|---|---|"]
    for name, measured, met in targets(results):
        lines.append(f"| {name} | {measured} | {'yes' if met else 'no' if met is not None else ''} |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated atlas sizes (default: 100,1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per stage (default: 3)")
    parser.add_argument("--stages", default=",".join(STAGES), help=f"comma-separated, from: {', '.join(STAGES)}")
    parser.add_argument("--pdf-sizes", default="100,1000", help="sizes at which to time the PDF (default: 100,1000)")
    parser.add_argument("--serve-sizes", default="1000,10000", help="sizes at which to time the preview (default: 1000,10000)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the table")
    parser.add_argument("--work", type=Path, default=None, help="folder for the synthetic atlases (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    PDF_SIZES[:] = [int(s) for s in args.pdf_sizes.split(",") if s]
    SERVE_SIZES[:] = [int(s) for s in args.serve_sizes.split(",") if s]
    stages = tuple(s for s in args.stages.split(",") if s)
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {', '.join(sorted(unknown))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    try:
        results = {n: run_size(n, args.runs, stages, work, lambda msg: print(msg, flush=True)) for n in sizes}
        write_results(results, args.out, args.runs)
        print(f"wrote {args.out}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
