"""Runs every check module in this folder over every generated file under the given folders.

A check module defines `applies(path) -> bool` and `check(path) -> list[(name, ok, detail)]`;
it may also define `check_dir(dir) -> list[(name, ok, detail)]` for whole-folder checks. One
line is printed per file and check; the last line is `N passed, N failed`. The exit code is
non-zero on any failure, and on a missing tool when CI=true.
"""
import importlib.util
import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).parent


def load_checks():
    mods = []
    for path in sorted(HERE.glob("check_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mods.append(mod)
    return mods


def main(args):
    expect_fail = "--expect-fail" in args
    roots = [a for a in args if a != "--expect-fail"]
    checks = load_checks()
    passed = failed = missing = 0
    slowest = (0.0, "")
    for root in map(pathlib.Path, roots):
        files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "README.md")
        dirs = sorted({p.parent for p in files})
        results = []
        for mod in checks:
            for f in files:
                if getattr(mod, "applies", lambda p: False)(f):
                    start = time.perf_counter()
                    results += [(f, *r) for r in mod.check(f)]
                    took = time.perf_counter() - start
                    slowest = max(slowest, (took, f"{mod.__name__} on {f.relative_to(root.parent)}"))
            for d in dirs:
                if hasattr(mod, "check_dir"):
                    start = time.perf_counter()
                    results += [(d, *r) for r in mod.check_dir(d)]
                    took = time.perf_counter() - start
                    slowest = max(slowest, (took, f"{mod.__name__} on {d.relative_to(root.parent)}/"))
        for path, name, ok, detail in results:
            rel = path.relative_to(root.parent) if path != root.parent else path
            if ok is None:
                missing += 1
                print(f"MISSING {name} {rel}: {detail}")
            elif ok:
                passed += 1
                print(f"ok   {name} {rel}")
            else:
                failed += 1
                print(f"FAIL {name} {rel}: {detail}")
        if expect_fail:
            # Self-test: every file must fail at least one check.
            caught = {p for p, _, ok, _ in results if ok is False}
            for f in files:
                print(f"{'ok  ' if f in caught else 'FAIL'} expect-fail {f.relative_to(root.parent)}")
            if all(f in caught for f in files) and files:
                return 0
            return 1
    if missing and os.environ.get("CI") == "true":
        failed += missing
    if slowest[1]:
        print(f"slowest: {slowest[1]} ({slowest[0] * 1000:.0f} ms)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
