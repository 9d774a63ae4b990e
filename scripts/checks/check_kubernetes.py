"""Kubernetes objects: every custom resource against its vendored CRD schema (made strict),
every core kind with `kubernetes-validate --strict`, and every folder holding a
`kustomization.yaml` through `kubectl kustomize`."""
import copy
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

CRDS = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "crds"
KUBERNETES_VERSION = "1.37.0"
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def strict(schema):
    """The schema with `additionalProperties: false` wherever it lists `properties` and says
    nothing else about extra keys, so a misspelt or unknown field fails."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if (
                "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def load_crds():
    out = {}
    for path in sorted(CRDS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            key = (f"{gvk['group']}/{gvk['version']}", gvk["kind"])
            out[key] = (path.name, strict(schema))
    return out


_CRDS = None


def crds():
    global _CRDS
    if _CRDS is None:
        _CRDS = load_crds()
    return _CRDS


def is_core(api_version):
    group = api_version.rpartition("/")[0]
    return group == "" or "." not in group or group.endswith(".k8s.io")


def objects(path):
    try:
        docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    except yaml.YAMLError:
        return []
    return [d for d in docs if isinstance(d, dict) and "apiVersion" in d and "kind" in d]


def applies(path):
    return path.suffix in (".yaml", ".yml") and bool(objects(path))


def check_metadata(obj):
    meta = obj.get("metadata") or {}
    name = meta.get("name")
    if not isinstance(name, str) or len(name) > 253 or not DNS_SUBDOMAIN.match(name):
        return f"metadata.name {name!r} is not a DNS-1123 subdomain"
    ns = meta.get("namespace")
    if ns is not None and (not isinstance(ns, str) or len(ns) > 63 or not DNS_LABEL.match(ns)):
        return f"metadata.namespace {ns!r} is not a DNS-1123 label"
    return None


def check_custom(obj):
    key = (obj["apiVersion"], obj["kind"])
    found = crds().get(key)
    if found is None:
        return ("crd-schema", False, f"no vendored CRD schema for {key[1]} {key[0]}")
    name, schema = found
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '$'}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(obj)
    ]
    bad_meta = check_metadata(obj)
    if bad_meta:
        problems.append(bad_meta)
    return (f"crd-schema {obj['kind']}", not problems, "; ".join(problems)[:1000] or name)


def check_core(objs):
    exe = shutil.which("kubernetes-validate") or str(pathlib.Path(sys.executable).parent / "kubernetes-validate")
    if not pathlib.Path(exe).exists():
        return [("kubernetes-validate", None, "kubernetes-validate is not installed")]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump_all(objs, f)
        tmp = f.name
    try:
        proc = subprocess.run(
            [exe, "--strict", "--quiet", "-k", KUBERNETES_VERSION, tmp],
            capture_output=True,
            text=True,
        )
    finally:
        pathlib.Path(tmp).unlink()
    return [("kubernetes-validate --strict", proc.returncode == 0, (proc.stdout + proc.stderr)[-1000:])]


def check(path):
    results = []
    core = []
    for obj in objects(path):
        if obj["kind"] == "Kustomization" and obj["apiVersion"].startswith("kustomize.config.k8s.io/"):
            continue  # kubectl kustomize judges it, in check_dir
        if is_core(obj["apiVersion"]):
            core.append(obj)
        else:
            results.append(check_custom(obj))
    if core:
        results += check_core(core)
    return results


def check_dir(d):
    if not (d / "kustomization.yaml").is_file():
        return []
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return [("kubectl-kustomize", None, "kubectl is not installed")]
    proc = subprocess.run([kubectl, "kustomize", str(d)], capture_output=True, text=True)
    if proc.returncode != 0:
        return [("kubectl-kustomize", False, proc.stderr[-1000:])]
    built = [o for o in yaml.safe_load_all(proc.stdout) if o]
    listed = sum(len(objects(p)) for p in d.glob("*.yaml") if p.name != "kustomization.yaml")
    ok = len(built) == listed
    return [("kubectl-kustomize", ok, "" if ok else f"built {len(built)} objects from {listed} in the folder")]
