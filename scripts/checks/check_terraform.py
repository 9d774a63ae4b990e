"""Terraform files: `terraform fmt -check` (the layout judge) and python-hcl2 (a parser)."""
import shutil
import subprocess

import hcl2


def applies(path):
    return path.suffix == ".tf"


def check(path):
    results = []
    tf = shutil.which("terraform")
    if tf is None:
        results.append(("terraform-fmt", None, "terraform is not installed"))
    else:
        proc = subprocess.run([tf, "fmt", "-check", "-diff", str(path)], capture_output=True, text=True)
        results.append(("terraform-fmt", proc.returncode == 0, proc.stdout[-2000:]))
    try:
        with open(path) as f:
            hcl2.load(f)
        results.append(("python-hcl2", True, ""))
    except Exception as e:  # the parser's own error types vary by version
        results.append(("python-hcl2", False, str(e)[:500]))
    return results
