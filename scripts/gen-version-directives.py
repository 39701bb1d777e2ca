#!/usr/bin/env python3
"""Regenerate core/src/tables/directive_versions.rs: which unit-file keys each verified
systemd release knows, and which it still recognises only to say they were removed.

Facts only (names), read from the real binaries:
  systemd --dump-configuration-items   -> the keys a release parses, per section
  the "Section.Key" strings of libsystemd-core-*.so (systemd's gperf table) that the dump
  leaves out -> the keys the release recognises only to log "Support for option Key= has
  been removed and it is ignored" (the parser the dump skips)
252 is the host's own systemd (Debian 12); 254, 257 and 262 are the copies that
../shared/tools/oracle-version.sh unpacks from Debian's registry (bookworm-backports,
trixie, sid) under ~/.cache/exposure-oracles (run `oracle-version.sh RELEASE --setup` first;
this script does it). 252's full table stays in directives.rs (gen-tables.py); here each later
release stores only what it added and dropped against the release before it.
Run: python3 scripts/gen-version-directives.py && cargo fmt --all
"""
import os
import pathlib
import re
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = pathlib.Path(os.environ.get("EXPOSURE_SHARED", ROOT.parent / "shared"))
ORACLE = SHARED / "tools" / "oracle-version.sh"
CACHE = pathlib.Path(os.environ.get("ORACLE_CACHE", pathlib.Path.home() / ".cache" / "exposure-oracles"))
OUT = ROOT / "core" / "src" / "tables" / "directive_versions.rs"
SECTION_RE = r"(Unit|Service|Socket|Mount|Automount|Swap|Timer|Path|Slice|Scope|Install)"

# (profile id of the release, Debian release the binary comes from; None = the host's own)
RELEASES = [("252", None), ("254", "bookworm-backports"), ("257", "trixie"), ("262", "sid")]


def run_in(release, args):
    """Run a binary of `release` through that release's own loader and libraries."""
    if release is None:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout
    subprocess.run(["bash", str(ORACLE), release, "--setup"], check=True, capture_output=True)
    root = CACHE / release / "root"
    lib = root / "usr" / "lib" / "x86_64-linux-gnu"
    libpath = [lib / "systemd", lib]
    loader = lib / "ld-linux-x86-64.so.2"
    if not loader.exists():  # Debian 12's libc6 is not merged-/usr
        loader = root / "lib" / "x86_64-linux-gnu" / "ld-linux-x86-64.so.2"
        libpath.append(root / "lib" / "x86_64-linux-gnu")
    binary = root / args[0].lstrip("/")
    if not binary.exists():
        binary = root / "usr" / args[0].lstrip("/")
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "LD_LIBRARY_PATH")}
    cmd = [str(loader), "--library-path", ":".join(map(str, libpath)), str(binary), *args[1:]]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout


def core_library(release):
    base = pathlib.Path("/") if release is None else CACHE / release / "root"
    for d in ["usr/lib/x86_64-linux-gnu/systemd", "lib/systemd", "usr/lib/systemd"]:
        found = sorted((base / d).glob("libsystemd-core-*.so"))
        if found:
            return found[0]
    raise SystemExit(f"no libsystemd-core in {base}")


def dump(release):
    """`{section: [keys in systemd's order]}` of --dump-configuration-items."""
    text = run_in(release, ["/lib/systemd/systemd", "--dump-configuration-items"])
    out, cur = {}, None
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^\[(\w+)\]$", line)
        if m:
            cur = out.setdefault(m.group(1), [])
        elif line and cur is not None:
            cur.append(line.partition("=")[0])
    return out


def gperf_keys(release):
    """Every `Section.Key` string of the release's gperf table."""
    text = subprocess.run(["strings", "-n", "6", str(core_library(release))], capture_output=True,
                          text=True, check=True).stdout
    keys = set()
    for s in text.split():
        m = re.fullmatch(SECTION_RE + r"\.([A-Z][A-Za-z0-9]+)", s)
        if m:
            keys.add((m.group(1), m.group(2)))
    return keys


def confirmed_retired(release, candidates):
    """Of the candidate keys, those the release's own systemd-analyze reports as removed options
    (the gperf strings include a few that are not keys, e.g. serialization names). Keys of the
    [Unit] section are tried there, all others in [Service]: the retired entries of the other
    sections come from the same shared templates as the [Service] ones."""
    unit_keys = sorted({k for s, k in candidates if s == "Unit"})
    other = sorted({k for s, k in candidates if s != "Unit"})
    lines = ["[Unit]", *[f"{k}=1" for k in unit_keys], "[Service]", "ExecStart=/bin/true",
             *[f"{k}=1" for k in other]]
    with tempfile.TemporaryDirectory() as d:
        unit = pathlib.Path(d) / "exposure-retired-probe.service"
        unit.write_text("\n".join(lines) + "\n")
        err = subprocess.run(["bash", str(ORACLE), release or "bookworm", str(unit), "--json=short"],
                             capture_output=True, text=True).stderr
    said = set()
    for line in err.splitlines():
        m = re.search(r":(\d+): Support for option (\w+)= has been removed", line)
        if m:
            n = int(m.group(1))
            said.add(("Unit" if n <= 1 + len(unit_keys) else "Service", m.group(2)))
    return {(s, k) for s, k in candidates if (("Unit" if s == "Unit" else "Service"), k) in said}


def by_section(pairs, order):
    out = {}
    for s, k in pairs:
        out.setdefault(s, []).append(k)
    return [(s, out[s]) for s in order if s in out]


def rs_sections(items):
    return "&[" + ", ".join(f'("{s}", &[' + ", ".join(f'"{k}"' for k in keys) + "])"
                            for s, keys in items) + "]"


releases = []
prev = None
for rid, deb in RELEASES:
    d = dump(deb)
    version = run_in(deb, ["/lib/systemd/systemd", "--version"]).splitlines()[0]
    known = {(s, k) for s, ks in d.items() for k in ks}
    order = list(d)
    ordered = [(s, k) for s in d for k in d[s]]
    retired = sorted(confirmed_retired(deb, gperf_keys(deb) - known), key=lambda p: (order.index(p[0]) if p[0] in order else 99, p[1]))
    if prev is None:
        added, dropped = [], []
    else:
        added = [p for p in ordered if p not in prev]
        dropped = sorted(prev - known, key=lambda p: (order.index(p[0]) if p[0] in order else 99, p[1]))
    releases.append((rid, version, by_section(added, order), by_section(dropped, order), by_section(retired, order)))
    prev = known

with open(OUT, "w") as f:
    f.write("// @generated by scripts/gen-version-directives.py from `systemd --dump-configuration-items`\n")
    f.write("// and the gperf strings of libsystemd-core of each verified release; do not edit by hand.\n\n")
    f.write("use super::DirectiveRelease;\n\n")
    f.write("/// The verified releases in order; each lists the keys it added and dropped against the\n")
    f.write("/// release before it (252: against its own full table in `directives.rs`), and the keys it\n")
    f.write("/// recognises only to say they were removed.\n")
    f.write("pub static DIRECTIVE_RELEASES: &[DirectiveRelease] = &[\n")
    for rid, version, added, dropped, retired in releases:
        f.write(f"    // {version}\n")
        f.write(f'    DirectiveRelease {{ id: "{rid}", added: {rs_sections(added)}, '
                f"dropped: {rs_sections(dropped)}, retired: {rs_sections(retired)} }},\n")
    f.write("];\n")
print("wrote", OUT)
