"""YAML files: a YAML 1.1 reader (PyYAML, as Kubernetes and Helm read) and a YAML 1.2 reader
(ruamel.yaml) must read the same data, so no string turned into a bool, number, null or date."""
import io

import yaml
from ruamel.yaml import YAML


def applies(path):
    return path.suffix in (".yaml", ".yml")


def same(a, b, where="$"):
    if type(a) is not type(b):
        return f"{where}: YAML 1.1 reads {type(a).__name__} {a!r}, YAML 1.2 reads {type(b).__name__} {b!r}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{where}: keys differ: {list(a)} vs {list(b)}"
        for k in a:
            d = same(a[k], b[k], f"{where}.{k}")
            if d:
                return d
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            d = same(x, y, f"{where}[{i}]")
            if d:
                return d
    elif a != b:
        return f"{where}: {a!r} != {b!r}"
    return None


def plain(v):
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def check(path):
    text = path.read_text(encoding="utf-8")
    try:
        docs11 = [d for d in yaml.safe_load_all(text)]
    except yaml.YAMLError as e:
        return [("yaml-1.1", False, str(e)[:500])]
    r = YAML(typ="safe", pure=True)
    try:
        docs12 = [plain(d) for d in r.load_all(io.StringIO(text))]
    except Exception as e:
        return [("yaml-1.2", False, str(e)[:500])]
    diff = same(docs11, docs12)
    return [("yaml-strings", diff is None, diff or "")]
