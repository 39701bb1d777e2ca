#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets (fuzz/) under target/fuzz-seeds/<target>/, and a
# libFuzzer dictionary per target, from the shared corpus (../shared/corpus or $EXPOSURE_CORPUS)
# plus a few inputs written here. Nothing is copied into the repository. Idempotent: the seed
# folders are rebuilt from scratch on every run. Works without the corpus (fewer seeds).
#
#   scripts/fuzz-seeds.sh            # prints one line per target: where, how many seeds
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=${EXPOSURE_CORPUS:-../shared/corpus}
out=target/fuzz-seeds
rm -rf "$out"
mkdir -p "$out"/{analyze,show,policy,link}

python3 - "$corpus" "$out" <<'PY'
import base64, glob, gzip, hashlib, json, os, re, sys, zlib

corpus, out = sys.argv[1], sys.argv[2]

def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

dev = os.path.join(corpus, "dev")
online = os.path.join(corpus, "online")

# analyze: unit files and drop-ins as shipped, each unit as `systemctl cat` prints it, and a
# few `systemctl show` captures (the detection has to tell them apart).
units = []
index = os.path.join(dev, "index.tsv")
if os.path.exists(index):
    for line in read(index).decode().splitlines()[1:]:
        f = line.split("\t")
        unit = os.path.join(dev, f[3])
        if not os.path.isfile(unit):
            continue
        text = read(unit)
        units.append(text)
        seed("analyze", text)
        cat = b"# /lib/systemd/system/" + f[2].encode() + b"\n" + text
        for d in sorted(glob.glob(unit + ".d/*.conf")):
            seed("analyze", read(d))
            cat += b"\n# /lib/systemd/system/" + f[2].encode() + b".d/" + os.path.basename(d).encode() + b"\n" + read(d)
        seed("analyze", cat)
shows = sorted(glob.glob(os.path.join(online, "*", "*", "show.txt")))
for p in sorted(glob.glob(os.path.join(online, "*", "*", "cat.txt"))):
    seed("analyze", read(p))
for p in shows[::25]:
    seed("analyze", read(p))

# show: every `systemctl show` capture, a few `--all` ones, and two units pasted together.
for p in shows:
    seed("show", read(p))
for p in sorted(glob.glob(os.path.join(online, "*", "*", "show-all.txt.gz")))[::40]:
    seed("show", gzip.decompress(read(p)))
if len(shows) >= 2:
    seed("show", read(shows[0]) + b"\n" + read(shows[1]))
    seed("show", read(shows[0]) + read(shows[1]))

# policy: the built-in table as a policy, variations of it, and wrong shapes systemd tolerates.
fields = []
for p in sorted(glob.glob(os.path.join(online, "*", "*", "security-short.json.gz")))[:1]:
    fields = [r["json_field"] for r in json.loads(gzip.decompress(read(p)))]
if not fields:
    fields = ["PrivateNetwork", "UMask", "SystemCallFilter_swap", "CapabilityBoundingSet_CAP_SYS_ADMIN"]
seed("policy", json.dumps({f: {"weight": 100 + i, "range": 1} for i, f in enumerate(fields)}))
seed("policy", json.dumps({f: {"weight": 0} for f in fields[::2]}))
seed("policy", json.dumps({f: {"range": 10, "description_good": "good", "description_bad": "bad",
                               "description_na": "n/a"} for f in fields[::3]}, indent=2))
for text in ['{}', '[]', 'null', '{"UMask":{"range":0}}', '{"UMask":{"weight":-1,"range":"x"}}',
             '{"UMask":{"weight":4294967295,"range":4294967295}}', '{"Nope":{"weight":1}}',
             '{"PrivateTmp":[],"UMask":{"weight":1.5,"x":null}}', '{"UMask":{"range":1}}']:
    seed("policy", text)

# link: payloads of real units (raw DEFLATE, base64url without padding), cut and padded ones.
def encode(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.urlsafe_b64encode(c.compress(data) + c.flush()).rstrip(b"=")
for text in units[::10] + [b"", b"[Service]\nExecStart=/bin/true\n", "na\u00efve \u2713\n".encode()]:
    p = encode(text)
    seed("link", p)
    seed("link", p[: len(p) // 2])
    seed("link", p + b"==")
seed("link", encode(b"a" * (1 << 20) + b"a"))  # one byte over the limit
seed("link", "U1bISzy8vixV4dGcyVzRoXmZJbFcLqnFyUWZBSWZ-Xm2h-fkHV6fnJ-SygUA")

# Dictionaries: section and directive names, `systemctl show` property names, policy keys.
def dict_file(name, words):
    with open(os.path.join(out, name + ".dict"), "w") as f:
        for w in sorted(set(words)):
            esc = "".join(chr(b) if 32 <= b < 127 and chr(b) not in '\\"' else "\\x%02X" % b
                          for b in w.encode())
            f.write('"' + esc + '"\n')

tables = read("core/src/tables/directives.rs").decode()
sections = re.findall(r'^    \(\n        "([A-Za-z-]+)"', tables, re.M)
keys = re.findall(r'\("([A-Za-z0-9]+)", "', tables)
unit_words = (["[" + s + "]" for s in sections] + [k + "=" for k in keys]
              + ["\\\n", "\n#", "~", "@system-service", "@privileged", "CAP_SYS_ADMIN", "AF_INET",
                 "yes", "no", "strict", "%i", "%n", "/dev/null", "char-", "block-", "rwm",
                 "# /etc/systemd/system/", ".service.d/", ".conf\n", "\u00ef\u00bb\u00bf"])
props = set()
for p in shows:
    for line in read(p).decode(errors="replace").splitlines():
        if "=" in line:
            props.add(line.split("=", 1)[0] + "=")
dict_file("analyze", unit_words + sorted(props)[:400])
dict_file("show", sorted(props) + ["\n\n", "cap_sys_admin", "yes", "no", "infinity"])
dict_file("policy", fields + ["weight", "range", "description_good", "description_bad",
                              "description_na", "{", "}", ":", ","])
PY

for t in analyze show policy link; do
  printf 'fuzz-seeds: %-8s %5d seeds in %s/%s\n' "$t" "$(find "$out/$t" -type f | wc -l)" "$out" "$t"
done
