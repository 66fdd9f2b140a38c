#!/usr/bin/env python3
"""Movement report benchmark: the England-scale ten-year dataset from CSV to the full report,
against the same core aggregations in pandas on the same files, in the same run.

    movement_bench.py LANYARD [--data DIR] [--threads N]

DIR (default: a folder under the system's temporary directory) keeps the generated dataset
between runs; it is generated (seed 1) when missing. Each program runs as a child process whose
wall time and peak memory (ru_maxrss) are reported. A benchmark reports, it does not judge:
the goals are printed beside the figures.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time

PANDAS_PYTHON = "/usr/bin/python3"  # Debian's python3-pandas


def timed(argv):
    """Runs argv; returns (seconds, peak RSS in MB, stdout)."""
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        out = os.open(os.path.join(tempfile.gettempdir(), f"lanyard-bench-{os.getpid()}.out"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(devnull, 2)
        os.execvp(argv[0], argv)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - started
    path = os.path.join(tempfile.gettempdir(), f"lanyard-bench-{pid}.out")
    with open(path) as f:
        output = f.read()
    os.unlink(path)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed: {output}")
    return elapsed, usage.ru_maxrss / 1024, output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("lanyard")
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(),
                                                       "lanyard-movements-england-10y-seed1"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    lanyard = os.path.abspath(args.lanyard)
    # The dataset is kept between runs, but made again by each new build of lanyard (its
    # generator may have changed): a stamp holds the binary's digest.
    with open(lanyard, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(args.data, ".generated-by")
    have = open(stamp).read() if os.path.exists(stamp) else ""
    if have != digest or not os.path.exists(os.path.join(args.data, "movements.csv")):
        print(f"generating the England-scale dataset in {args.data} ...", flush=True)
        subprocess.run([lanyard, "analytics", "generate", "--scale", "england", "--years", "10",
                        "--seed", "1", "--out", args.data], check=True)
        with open(stamp, "w") as f:
            f.write(digest)
    size = os.path.getsize(os.path.join(args.data, "movements.csv"))
    with open(os.path.join(args.data, "movements.csv"), "rb") as f:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b"")) - 1
    out_dir = tempfile.mkdtemp(prefix="lanyard-movement-report-")
    # The page cache holds the file for both (read once above), so neither pays the disk alone.
    lanyard_s, lanyard_mb, _ = timed([lanyard, "analytics", "report", "--in", args.data,
                                      "--out", out_dir, "--threads", str(args.threads)])
    pandas_s, pandas_mb, _ = timed([PANDAS_PYTHON, os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "movement_pandas.py"), args.data])
    subprocess.run(["rm", "-rf", out_dir], check=True)
    print("Movement report benchmark")
    print(f"  data: {rows:,} rows, {size / 1e9:.2f} GB of CSV ({args.data})")
    print(f"  lanyard analytics report ({args.threads} threads): {lanyard_s:.1f} s, "
          f"peak RSS {lanyard_mb:.0f} MB")
    print("  pandas, the same core aggregations (chunked, categorical, usecols): "
          f"{pandas_s:.1f} s, peak RSS {pandas_mb:.0f} MB")
    print(f"  ratio: lanyard is {pandas_s / lanyard_s:.1f} x faster than pandas in this run")
    print("Goals: CSV to full report <= 30 s with <= 2 GB: "
          f"{'met' if lanyard_s <= 30 and lanyard_mb <= 2048 else 'NOT met'}; "
          f">= 5 x pandas: {'met' if pandas_s / lanyard_s >= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
