#!/usr/bin/env python3
"""Writes cow.c's GUP rows as scenarios: tests/scenarios/selftest-cow-ROW-RUN.mms.

Linux's tools/testing/selftests/mm/cow.c runs each row of anon_test_cases[]
over the same memory setups (base page, THP of every size, PTE-mapped,
swapped out, ...). Those setups are written once, in the "Basic COW" row's
scenarios (selftest-cow-basic-RUN.mms); this script takes each setup from
there, up to the fork the row replaces, and appends the row's own steps.
Every scenario gets `probe` lines for the kernel's view of the result; turn
them into expects with scripts/probes-to-expects.py (the R/O pin rows' with
--kernel-image and the 7.3-gup vmlinuz of scripts/build-gup-kernel.sh).

    scripts/gen-cow-gup-scenarios.py [tests/scenarios]
"""
import os
import re
import sys

RUNS = ["base-page", "base-page-swap", "thp", "thp-swap", "pte-mapped-thp",
        "pte-mapped-thp-swap", "single-pte-of-thp", "single-pte-of-thp-swap",
        "partial-mremap-thp", "partial-shared-thp"]

# name: (cow.c's row, its test function, a note on where Linux runs it or None)
# A note on the rows only a kernel with gup_test runs.
NO_GUP_TEST = ("# Linux runs it only with gup_test (CONFIG_GUP_TEST), which distributions leave out:\n"
               "# scripts/build-gup-kernel.sh builds Debian's 7.3.4 with it, for the qemu runs\n"
               "# (tests/era); elsewhere the kernel run stops at the pin, \"not on this machine\".")
ROWS = {
    "vmsplice-child": ("vmsplice() + unmap in child", "test_vmsplice_in_child()", None),
    "vmsplice-child-mprotect": ("vmsplice() + unmap in child with mprotect() optimization",
                                "test_vmsplice_in_child_mprotect()", None),
    "vmsplice-before-fork": ("vmsplice() before fork(), unmap in parent after fork()",
                             "test_vmsplice_before_fork()", None),
    "vmsplice-after-fork": ("vmsplice() + unmap in parent after fork()",
                            "test_vmsplice_after_fork()", None),
    "iouring-ro": ("R/O-mapping a page registered as iouring fixed buffer", "test_iouring_ro()", None),
    "iouring-fork": ("fork() with an iouring fixed buffer", "test_iouring_fork()", None),
    "ro-pin-shared": ("R/O GUP pin on R/O-mapped shared page", "test_ro_pin_on_shared()", NO_GUP_TEST),
    "ro-fast-pin-shared": ("R/O GUP-fast pin on R/O-mapped shared page",
                           "test_ro_fast_pin_on_shared()", NO_GUP_TEST),
    "ro-pin-previously-shared": ("R/O GUP pin on R/O-mapped previously-shared page",
                                 "test_ro_pin_on_ro_previously_shared()", NO_GUP_TEST),
    "ro-fast-pin-previously-shared": ("R/O GUP-fast pin on R/O-mapped previously-shared page",
                                      "test_ro_fast_pin_on_ro_previously_shared()", NO_GUP_TEST),
    "ro-pin-exclusive": ("R/O GUP pin on R/O-mapped exclusive page",
                         "test_ro_pin_on_ro_exclusive()", NO_GUP_TEST),
    "ro-fast-pin-exclusive": ("R/O GUP-fast pin on R/O-mapped exclusive page",
                              "test_ro_fast_pin_on_ro_exclusive()", NO_GUP_TEST),
}

PIPE_MAX = 16 * 4096	# vmsplice() fills the pipe's 16 buffers of a page at most


def sections(text):
    """The basic scenario's sections: (run title, setup lines, P, C, ADDR, LEN)."""
    lines = text.splitlines()
    body = [l for l in lines if not l.startswith("# ") or l.startswith("# ... ")]
    out, cur = [], []
    for l in body:
        if l.startswith("# ... ") and cur:
            out.append(cur)
            cur = []
        cur.append(l)
    if cur:
        out.append(cur)
    result = []
    for sec in out:
        title = sec[0][2:] if sec[0].startswith("# ... ") else None
        setup, p = [], None
        for i, l in enumerate(sec):
            m = re.match(r"fork (\w+) (C\w*)$", l.split("#")[0].strip())
            if m:
                p, c = m.group(1), m.group(2)
                r = re.match(r"read \w+ (\S+) (\S+)", sec[i + 1])
                addr, length = r.group(1), r.group(2)
                break
            setup.append(l)
        if p is None:
            continue
        while setup and not setup[-1].strip():
            setup.pop()
        result.append((title, setup, p, c, addr, length))
    return result


def size(s):
    return int(s[:-1]) * 1024 if s.endswith("K") else int(s[:-1]) * 1024 * 1024 if s.endswith("M") else int(s, 0)


def last(addr, n):
    return hex(int(addr, 16) + n - 1)


def probes(who, addr):
    return [f"probe byte {who} {addr}", f"probe exclusive {who} {addr}",
            f"probe kpagecount {who} {addr}", f"probe folio_order {who} {addr}"]


def steps(row, p, c, a, l):
    n = size(l)
    t = min(n, PIPE_MAX)
    out = []
    if row.startswith("vmsplice-child"):
        out += [f"fork {p} {c}",
                f"vmsplice {c} {a} {l}        # child_vmsplice_memcmp_fn(): a R/O reference per page",
                f"munmap {c} {a} {l}"]
        if row.endswith("mprotect"):
            out += [f"mprotect {p} {a} {l} r", f"mprotect {p} {a} {l} rw"]
        out += [f"write {p} {a} {l} byte=0xff      # memset(mem, 0xff, size)",
                f"pipe_read {c}                  # read(fds[0], new, transferred)",
                f"expect pipe_byte {c} 0 == 1",
                f"expect pipe_byte {c} {t - 1} == 1"]
        out += probes(p, a)
        out += [f"exit {c}", f"exit {p}"]
    elif row.startswith("vmsplice-"):
        if row == "vmsplice-before-fork":
            out += [f"vmsplice {p} {a} {l}        # vmsplice() before fork()", f"fork {p} {c}"]
        else:
            out += [f"fork {p} {c}", f"vmsplice {p} {a} {l}        # vmsplice() after fork()"]
        out += [f"munmap {p} {a} {l}",
                f"write {c} {a} {l} byte=0xff      # the child: memset(mem, 0xff, size)"]
        out += probes(c, a)
        out += [f"exit {c}",
                f"pipe_read {p}                  # read(fds[0], new, transferred)",
                f"expect pipe_byte {p} 0 == 1",
                f"expect pipe_byte {p} {t - 1} == 1",
                f"exit {p}"]
    elif row == "iouring-ro":
        out += [f"pin {p} {a} {l} rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM",
                f"mprotect {p} {a} {l} r",
                f"clear_refs {p} 4                # clear_softdirty(): keeps mprotect() from making it writable",
                f"mprotect {p} {a} {l} rw",
                f"write {p} {a} {l} byte=0xff      # memset(mem, 0xff, size)",
                f"expect pinned_byte {p} 0 == 255    # io_uring_prep_write_fixed(), then pread()",
                f"expect pinned_byte {p} {n - 1} == 255"]
        out += probes(p, a)
        out += [f"unpin {p}", f"exit {p}"]
    elif row == "iouring-fork":
        out += [f"pin {p} {a} {l} rw        # io_uring_register_buffers(): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM",
                f"fork {p} {c}                   # the pinned pages must not be shared with the child",
                f"write {p} {a} {l} byte=0xff      # memset(mem, 0xff, size)",
                f"expect pinned_byte {p} 0 == 255    # io_uring_prep_write_fixed(), then pread()",
                f"expect pinned_byte {p} {n - 1} == 255"]
        out += probes(p, a) + [f"probe byte {c} {a}", f"probe same_frame {p} {a} {c} {a}",
                               f"probe smaps {c} Rss"]
        out += [f"exit {c}", f"unpin {p}", f"exit {p}"]
    else:
        fast = " fast" if "-fast-" in row else ""
        if row.endswith("-shared") and "previously" not in row:
            out += [f"fork {p} {c}                   # share the pages with a child that stays"]
        elif "previously" in row:
            out += [f"fork {p} {c}", f"exit {c}                      # R/O-mapped, but no longer shared"]
        else:
            out += [f"mprotect {p} {a} {l} r",
                    f"clear_refs {p} 4                # clear_softdirty()",
                    f"mprotect {p} {a} {l} rw"]
        out += [f"pin {p} {a} {l} ro{fast}        # PIN_LONGTERM_TEST_START: should trigger unsharing",
                f"write {p} {a} {l} byte=0xff      # memset(mem, 0xff, size)",
                f"expect pinned_byte {p} 0 == 255    # PIN_LONGTERM_TEST_READ sees the write",
                f"expect pinned_byte {p} {n - 1} == 255"]
        out += probes(p, a)
        out += [f"unpin {p}"]
        if row.endswith("-shared") and "previously" not in row:
            out += [f"exit {c}"]
        out += [f"exit {p}"]
    return out


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "tests/scenarios"
    for run in RUNS:
        text = open(os.path.join(d, f"selftest-cow-basic-{run}.mms")).read()
        m = re.search(r'run "([^"]*)"( for every THP size, one section each)?', text)
        title, every = m.group(1), m.group(2) or ""
        for row, (desc, fn, note) in ROWS.items():
            head = [note] if note else []
            head += [f'# Linux 7.3.4 tools/testing/selftests/mm/cow.c, anon_test_cases[] row "{desc}",',
                     f'# run "{title}"{every} ({fn}).',
                     "# Setup as in selftest-cow-basic-" + run + ".mms (scripts/gen-cow-gup-scenarios.py)."]
            body = []
            for sec_title, setup, p, c, a, l in sections(text):
                if sec_title:
                    body += [""]
                body += setup + steps(row, p, c, a, l)
            with open(os.path.join(d, f"selftest-cow-{row}-{run}.mms"), "w") as f:
                f.write("\n".join(head + body) + "\n")


main()
