#!/usr/bin/env python3
"""Turns the probes of a scenario into expects with the live kernel's answers.

The way conformance scenarios are written: state each query as `probe`, run
this (as root) to ask the kernel, read the result and think about whether
each value makes sense, then commit it. Usage:

    scripts/probes-to-expects.py [--mmsim build/cli/mmsim] [--kernel-image VMLINUZ] FILE.mms...

Rewrites each FILE in place; a probe the kernel skipped stays a probe.
"""
import argparse
import json
import subprocess
import sys


def kernel_values(mmsim, paths, image=None):
    """Each file's probe values by line, from one run of them all (one boot under qemu)."""
    where = ["--kernel-image", image] if image else ["--kernel"]
    out = subprocess.run([mmsim, "run", *where, "--json", *paths],
                         capture_output=True, text=True)
    try:
        files = json.loads(out.stdout)
    except json.JSONDecodeError:
        sys.exit(f"the kernel run printed no JSON:\n{out.stdout}{out.stderr}")
    values = []
    for path, f in zip(paths, files):
        if f.get("bail_out"):
            sys.exit(f"{path}: the kernel run bailed out: {f['bail_out']}")
        values.append({r["line"]: r["value"] for r in f["results"]
                       if r["kind"] == "probe" and "value" in r})
    return values


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mmsim", default="build/cli/mmsim")
    ap.add_argument("--kernel-image", help="ask this Linux under qemu (an older version's "
                    "scenario) instead of the live kernel")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    for path, values in zip(args.files, kernel_values(args.mmsim, args.files, args.kernel_image)):
        lines = open(path).read().split("\n")
        for n, value in values.items():
            text = lines[n - 1]
            head, sep, comment = text.partition("#")
            words = head.split()
            if not words or words[0] != "probe":
                continue
            expect = "expect " + " ".join(words[1:]) + f" == {value}"
            lines[n - 1] = expect + (f"   #{comment}" if sep else "")
        open(path, "w").write("\n".join(lines))
        print(f"{path}: {len(values)} probes now expects")


if __name__ == "__main__":
    main()
