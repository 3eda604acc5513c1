#!/usr/bin/env python3
"""Trims a fuzz target's corpus to a byte budget, keeping as much coverage as fits.

`cargo fuzz cmin` keeps every input that adds a feature (hit counts included), which for
these targets is still tens of megabytes: packages and scales are large files. This runs
the target's built binary once over the inputs with libFuzzer's `-set_cover_merge=1
-use_counters=0` to learn each input's features (edges and comparisons, without hit
counts), then picks greedily the input that adds the most features not yet covered per
byte, until the budget is spent, and replaces `corpus/<target>/` with the picks. The
inputs are the current corpus plus any extra folders given (a raw corpus, new seeds).

Usage, from `fuzz/` after `cargo +nightly fuzz build <target>`:

    python3 trim_corpus.py review 600000 [more-input-dirs...]

The binary is looked up in `$CARGO_TARGET_DIR` (else `target/`), as cargo fuzz builds it.
"""

import os
import shutil
import subprocess
import sys
import tempfile


def main() -> None:
    target, budget, extra = sys.argv[1], int(float(sys.argv[2])), sys.argv[3:]
    target_dir = os.environ.get("CARGO_TARGET_DIR", "target")
    binary = os.path.join(target_dir, "x86_64-unknown-linux-gnu", "release", target)
    corpus = os.path.join("corpus", target)
    with tempfile.TemporaryDirectory() as tmp:
        # Every input in one folder, the current corpus first (same names: same content).
        inputs = os.path.join(tmp, "in")
        os.mkdir(inputs)
        for d in [corpus, *extra]:
            for name in os.listdir(d):
                path = os.path.join(d, name)
                if os.path.isfile(path) and not name.startswith("."):
                    shutil.copy(path, os.path.join(inputs, name))
        control = os.path.join(tmp, "control")
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        subprocess.run(
            [binary, "-set_cover_merge=1", "-use_counters=0", f"-merge_control_file={control}", out, inputs],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        lines = open(control).read().split("\n")
        n = int(lines[0])
        files = lines[2 : 2 + n]
        features = {}
        for line in lines[2 + n :]:
            parts = line.split()
            if parts and parts[0] == "FT":
                features[int(parts[1])] = set(map(int, parts[2:]))
        size = {i: os.path.getsize(files[i]) for i in features}
        everything = set().union(*features.values())
        left, spent, chosen = set(everything), 0, []
        while left:
            fits = [i for i in features if i not in chosen and spent + size[i] <= budget and features[i] & left]
            if not fits:
                break
            # 64 bytes on top of each file: many tiny files are not free either.
            best = max(fits, key=lambda i: len(features[i] & left) / (size[i] + 64))
            left -= features[best]
            spent += size[best]
            chosen.append(best)
        shutil.rmtree(corpus)
        os.mkdir(corpus)
        for i in chosen:
            shutil.copy(files[i], corpus)
    kept = len(everything) - len(left)
    print(f"{target}: kept {len(chosen)} files, {spent} bytes, {kept}/{len(everything)} features")


if __name__ == "__main__":
    main()
