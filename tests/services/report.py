#!/usr/bin/env python3
"""Turns the trial harness's raw files (WORK/TIER/DAEMON/...) into services.md and
services.json, and decides the exit status: 1 when a score differs from the container's
systemd-analyze, when a daemon fails its own baseline or does not come back after a revert,
or (unless EXPOSURE_SERVICES_ALLOW_BREAKAGE=1) when the safe tier breaks any daemon or the
moderate tier more than one in twenty."""
import json
import os
import re
import sys

WORK, OUT, DAEMONS = sys.argv[1], sys.argv[2], sys.argv[3:]
TIERS = [t for t in os.environ.get("EXPOSURE_SERVICES_TIERS", "safe moderate strict").split()]
ALLOW = os.environ.get("EXPOSURE_SERVICES_ALLOW_BREAKAGE", "") not in ("", "0")

OVERALL = re.compile(r"Overall exposure level for \S+: (\d+\.\d) (\w+)")
# words of a line that says what went wrong
STRONG = re.compile(
    r"emerg|fatal|crit|alert|\berror\b|denied|not permitted|read-only|not supported|"
    r"no such file|cannot|can't|could not|unable|not present|invalid|not superuser|only root|"
    r"no hostkeys|failed to|not allowed|bad system call|segmentation",
    re.I,
)
# words of a line that names the cause: the last such line before the exit is the likeliest
CAUSE = re.compile(
    r"read-only file system|permission denied|not permitted|not supported|not present|"
    r"no such file|not superuser|only root|invalid argument|no hostkeys|cannot create|"
    r"can't bind|address family|bad system call",
    re.I,
)
# systemd's lines that say a start failed (the daemon's own last words come before them)
FAILED = re.compile(
    r"Main process exited|Control process exited|Failed with result|Failed at step|"
    r"Start request repeated|Killing process|code=killed|code=dumped"
)
# systemd's lines that only say that it failed, not why
GENERIC = re.compile(
    r"Failed with result|Failed to start|Scheduled restart|Main process exited|"
    r"Control process exited|Start request repeated|Consumed .* CPU|Unit entered failed|"
    r"Stopped |Stopping |Starting |Started |Deactivated"
)
WARNING = re.compile(r"warn", re.I)
PREFIX = re.compile(r"^\w{3} \d\d \d\d:\d\d:\d\d \S+ ")


def read(*parts, default=""):
    try:
        with open(os.path.join(WORK, *parts), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def score(text):
    m = OVERALL.search(text)
    return float(m.group(1)) if m else None


def clean(line):
    line = PREFIX.sub("", line).strip()
    line = re.sub(r"^(\S+?)\[\d+\]:", r"\1:", line)
    # a daemon's own time stamp and pid say nothing more
    line = re.sub(r"\d{4}[/-]\d\d[/-]\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?\s*\|?", "", line)
    line = re.sub(r"(\[\w+\]) \d+#\d+: ", r"\1 ", line)
    return re.sub(r"  +", " ", line)


def why_from_journal(text):
    """The line of the journal since the restart that best says why the unit failed, from the
    daemon's own lines of its first failed start: the last that names a cause (read-only file
    system, permission denied, ...), else the first error, else its last words; else systemd's
    own specific complaint."""
    lines = [clean(l) for l in text.splitlines()]
    lines = [l for l in lines if l and not l.startswith("-- ")]
    # the journal since the restart begins with the old process stopping: skip to the start
    starts = [i for i, l in enumerate(lines) if l.startswith("systemd:") and " Starting " in l]
    if starts:
        lines = lines[starts[0]:]
    fail = next((i for i, l in enumerate(lines) if l.startswith("systemd:") and FAILED.search(l)), len(lines))
    own = [l for l in lines[:fail] if not l.startswith("systemd:")]
    strong = [l for l in own if STRONG.search(l)]
    systemd = [l for l in lines if l.startswith("systemd:") and not GENERIC.search(l)]
    for pool in (
        [l for l in own if CAUSE.search(l)][-1:],
        [l for l in strong if not WARNING.search(l)],
        strong,
        own[-1:],
        systemd,
        [l for l in lines if FAILED.search(l)],
        lines[-1:],
    ):
        if pool:
            return pool[0][:220]
    return ""


def probe_why(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    lines = [l for l in lines if l != "probe passed" and not l.startswith("probe failed for")]
    return (lines[-1] if lines else "no output")[:220]


def trial(tier, d):
    active = read(tier, d, "active").strip() or "unknown"
    prc = read(tier, d, "probe.rc").strip()
    runs = active == "active" and prc == "0"
    why = ""
    if not runs:
        journal = why_from_journal(read(tier, d, "journal.txt"))
        if active != "active":
            why = f"{active}: {journal}" if journal else active
        else:
            why = f"probe: {probe_why(read(tier, d, 'probe.out'))}"
            if journal and STRONG.search(journal):
                why += f"; journal: {journal}"
    return {"active": active, "probe_passed": prc == "0", "runs": runs, "why": why}


def tier_result(tier, d):
    r = {"suggest_ok": read(tier, d, "suggest.rc").strip() == "0"}
    if not r["suggest_ok"]:
        r["suggest_error"] = read(tier, d, "suggest.err").strip()[-300:]
    predicted = None
    try:
        s = json.loads(read(tier, d, "suggest.json") or "null")
        predicted = s["exposure_after"] if s else None
        r["lines"] = len([l for l in s.get("lines", []) if not l.get("withheld")]) if s else 0
    except (ValueError, KeyError, TypeError):
        pass
    r.update(trial(tier, d))
    r["dropin"] = read(tier, d, "override.conf")
    r["predicted"] = predicted
    r["offline_real"] = score(read(tier, d, "offline.txt"))
    ours = None
    try:
        o = json.loads(read(tier, d, "ours-online.json") or "null")
        # {"units": [...]} (the report schema), or a bare list of units (older binaries)
        units = o.get("units") if isinstance(o, dict) else o
        ours = units[0]["exposure"] if units else None
    except (ValueError, KeyError, TypeError, IndexError):
        pass
    r["online_ours"] = ours
    r["online_real"] = score(read(tier, d, "online.txt"))
    r["prediction_equal"] = predicted is not None and predicted == r["offline_real"]
    r["online_equal"] = ours is not None and ours == r["online_real"]
    rv = read(tier, d, "reverted").strip()
    rp = read(tier, d, "revert-probe.rc").strip()
    r["reverted"] = rv == "active" and rp in ("0", "skip")
    if not r["reverted"]:
        r["revert_why"] = f"{rv or 'unknown'}, probe {rp or '?'}: " + probe_why(
            read(tier, d, "revert-probe.out")
        )
    return r


def fmt(x):
    return "—" if x is None else f"{x:.1f}"


def main():
    meta = {k: read(f"meta-{k}.txt").strip() for k in ("systemd", "binary", "version", "date", "seconds")}
    rows = []
    for d in DAEMONS:
        row = {"daemon": d, "unit": read("baseline", d, "unit").strip()}
        row["baseline"] = trial("baseline", d)
        row["tiers"] = {t: tier_result(t, d) for t in TIERS if os.path.isdir(os.path.join(WORK, t, d))}
        rows.append(row)
    n = len(rows)
    summary, problems, breakage = {}, [], []
    base_ok = sum(r["baseline"]["runs"] for r in rows)
    summary["baseline"] = {"runs": base_ok, "of": n}
    for r in rows:
        if not r["baseline"]["runs"]:
            problems.append(f"baseline: {r['daemon']} does not run without a drop-in ({r['baseline']['why']}): the probe or the setup is wrong")
    for t in TIERS:
        got = [r["tiers"][t] for r in rows if t in r["tiers"]]
        runs = sum(x["runs"] for x in got)
        pe = sum(x["prediction_equal"] for x in got)
        oe = sum(x["online_equal"] for x in got)
        summary[t] = {"runs": runs, "of": len(got), "predictions_equal": pe, "online_equal": oe}
        for r in rows:
            x = r["tiers"].get(t)
            if x is None:
                continue
            if not x["suggest_ok"]:
                problems.append(f"{t}: exposure suggest failed for {r['unit']}: {x['suggest_error']}")
                continue
            if not x["prediction_equal"]:
                problems.append(f"{t}: {r['unit']}: predicted {fmt(x['predicted'])}, systemd-analyze --offline=yes says {fmt(x['offline_real'])}")
            if not x["online_equal"]:
                problems.append(f"{t}: {r['unit']}: our score of systemctl show is {fmt(x['online_ours'])}, systemd-analyze security says {fmt(x['online_real'])}")
            if not x["reverted"]:
                problems.append(f"{t}: {r['unit']} did not come back after the drop-in was removed ({x['revert_why']})")
        broken = [r["daemon"] for r in rows if t in r["tiers"] and not r["tiers"][t]["runs"]]
        allowed = {"safe": 0, "moderate": len(got) // 20}.get(t)
        if allowed is not None and len(broken) > allowed:
            breakage.append(f"{t}: {len(broken)} of {len(got)} daemons broken ({', '.join(broken)}); at most {allowed} allowed")
    verdict = {"problems": problems, "breakage": breakage, "breakage_allowed": ALLOW}

    doc = {"meta": meta, "summary": summary, "verdict": verdict, "daemons": rows}
    with open(os.path.join(OUT, "services.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")

    md = []
    md.append("# Service trials\n")
    md.append(f"{meta['systemd'] or 'systemd ?'} in a Debian 12 container; binary `{meta['binary']}` ({meta['version']}); {meta['date']}; trials took {meta['seconds']} s.\n")
    md.append("Each daemon restarted with the drop-in `exposure suggest --tier TIER` gives for its `systemctl cat` (installed as `/etc/systemd/system/UNIT.d/override.conf`); *runs* = `systemctl is-active` is `active` after the settle time **and** its probe passes.\n")
    line = [f"baseline {base_ok}/{n}"] + [f"{t} {summary[t]['runs']}/{summary[t]['of']}" for t in TIERS]
    md.append("**Runs:** " + ", ".join(line) + ".  ")
    md.append("**Predicted = real offline score:** " + ", ".join(f"{t} {summary[t]['predictions_equal']}/{summary[t]['of']}" for t in TIERS) + ".  ")
    md.append("**Our online score = real online score:** " + ", ".join(f"{t} {summary[t]['online_equal']}/{summary[t]['of']}" for t in TIERS) + ".\n")
    md.append("## Does the daemon still work?\n")
    md.append("| daemon | unit | baseline | " + " | ".join(TIERS) + " |")
    md.append("|---|---|---|" + "---|" * len(TIERS))

    def cell(x):
        if not x.get("suggest_ok", True):
            return "no advice: " + esc(x.get("suggest_error", ""))
        return "runs" if x["runs"] else "**fails**: " + esc(x["why"])

    for r in rows:
        md.append(f"| {r['daemon']} | `{r['unit']}` | {cell(r['baseline'])} | " + " | ".join(cell(r["tiers"][t]) if t in r["tiers"] else "—" for t in TIERS) + " |")
    md.append("\n## Scores: predicted vs `systemd-analyze security --offline=yes`, ours vs online `systemd-analyze security`\n")
    md.append("| daemon | " + " | ".join(TIERS) + " |")
    md.append("|---|" + "---|" * len(TIERS))

    def sc(x):
        p = f"{fmt(x['predicted'])} {'=' if x['prediction_equal'] else '≠'} {fmt(x['offline_real'])}"
        o = f"{fmt(x['online_ours'])} {'=' if x['online_equal'] else '≠'} {fmt(x['online_real'])}"
        return f"offline {p}; online {o}"

    for r in rows:
        md.append(f"| {r['daemon']} | " + " | ".join(sc(r["tiers"][t]) if t in r["tiers"] else "—" for t in TIERS) + " |")
    md.append("")
    if problems or breakage:
        md.append("## Verdict\n")
        for p in problems:
            md.append(f"- {esc(p)}")
        for b in breakage:
            md.append(f"- {esc(b)}" + (" (reported only: EXPOSURE_SERVICES_ALLOW_BREAKAGE)" if ALLOW else ""))
        md.append("")
    with open(os.path.join(OUT, "services.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md))

    print("\n".join(md[3:6]))
    for p in problems:
        print("FAIL: " + p)
    for b in breakage:
        print(("REPORTED: " if ALLOW else "FAIL: ") + b)
    failed = len(problems) + (0 if ALLOW else len(breakage))
    # a baseline per daemon; per daemon and tier two scores and the revert; a threshold per tier
    checks = n + sum(len(r["tiers"]) * 3 for r in rows) + len(TIERS)
    print(f"services: {checks - failed} passed, {failed} failed")
    return 1 if failed else 0


def esc(s):
    return s.replace("|", "\\|").replace("\n", " ")


sys.exit(main())
