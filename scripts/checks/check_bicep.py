"""Bicep files, read by two parsers wisp did not write: pycep-parser (a Lark grammar) and
tree-sitter-bicep (a tree-sitter grammar; the tree must have no ERROR or MISSING node).

Neither reads a whole `.bicepparam` file: pycep has no `using` statement, and
tree-sitter-bicep 1.1.0 reads `using` but not a `param NAME = value` assignment. A
`.bicepparam` is checked by tree-sitter-bicep after one mechanical rewrite of each
assignment's leading `param` keyword to `var`, which has the same `NAME = expression` form,
so the `using` line and every value are still parsed. tree-sitter-bicep 1.1.0 also predates
the `extension` keyword: it reads `extension NAME with {...}` in its earlier spelling,
`import 'NAME@1.0.0' with {...}`.
"""
import re

import tree_sitter_bicep
from pycep import BicepParser
from tree_sitter import Language, Parser

_ts = Parser(Language(tree_sitter_bicep.language()))
_pycep = BicepParser()


def applies(path):
    return path.suffix in (".bicep", ".bicepparam")


def _bad_nodes(node, out):
    if node.is_error or node.is_missing:
        out.append(f"{'ERROR' if node.is_error else 'MISSING'} at {node.start_point[0] + 1}:{node.start_point[1] + 1}")
    for child in node.children:
        _bad_nodes(child, out)
    return out


def tree_sitter_text(path, text):
    if path.suffix == ".bicepparam":
        text = re.sub(r"(?m)^param(?= )", "var", text)
    return re.sub(r"(?m)^extension (\w+) with", r"import '\1@1.0.0' with", text)


def check(path):
    text = path.read_text(encoding="utf-8")
    results = []
    tree = _ts.parse(tree_sitter_text(path, text).encode("utf-8"))
    bad = _bad_nodes(tree.root_node, [])
    results.append(("tree-sitter-bicep", not bad, "; ".join(bad[:5])))
    if path.suffix == ".bicep":
        try:
            _pycep.parse(text=text)
            results.append(("pycep-parser", True, ""))
        except Exception as e:  # Lark's error types vary by version
            results.append(("pycep-parser", False, str(e).strip().splitlines()[0][:300]))
    return results


def _parsers_reject_broken_bicep():
    """A parser that recovers from everything would pass every file: make sure both fail
    on an unescaped quote before trusting them."""
    broken = "param a string = 'it's'\n"
    if not _bad_nodes(_ts.parse(broken.encode("utf-8")).root_node, []):
        raise RuntimeError("tree-sitter-bicep accepted broken Bicep")
    try:
        _pycep.parse(text=broken)
    except Exception:
        return
    raise RuntimeError("pycep-parser accepted broken Bicep")


_parsers_reject_broken_bicep()
