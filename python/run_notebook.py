"""Execute Jupyter notebooks top to bottom on a named kernel (default: the project's `pairs-lab` tslab kernel)
and fail on any error: an error reply, an `error` output, or anything written to stderr.

Usage: run_notebook.py [--kernel NAME] [--timeout SECONDS] [--save-to DIR] NOTEBOOK...

Prints one JSON line per notebook: {"notebook", "ok", "seconds", "cells", "mime": {type: count}, "errors": [...]}.
Exit status 0 when every notebook ran clean, 1 otherwise. The notebook files are never modified; with
--save-to the executed copies are written there (for inspection).
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def problems_in(nb):
    """Error outputs and stderr text, with the index of the code cell they came from."""
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append({"cell": index, "kind": "error", "text": f"{out.get('ename')}: {out.get('evalue')}"})
            elif out.get("output_type") == "stream" and out.get("name") == "stderr":
                found.append({"cell": index, "kind": "stderr", "text": out.get("text", "")[:2000]})
    return found


def mime_counts(nb):
    counts = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            kinds = list(out.get("data", {}).keys()) if "data" in out else [f"stream:{out.get('name')}"]
            for kind in kinds:
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def run(path, kernel, timeout, save_to):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    started = time.monotonic()
    errors = []
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        errors.append({"cell": None, "kind": type(err).__name__, "text": str(err)[:4000]})
    errors.extend(problems_in(nb))
    if save_to:
        os.makedirs(save_to, exist_ok=True)
        nbformat.write(nb, os.path.join(save_to, os.path.basename(path)))
    return {
        "notebook": path,
        "ok": not errors,
        "seconds": round(time.monotonic() - started, 2),
        "cells": len(nb.cells),
        "mime": mime_counts(nb),
        "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kernel", default="pairs-lab")
    parser.add_argument("--timeout", type=int, default=180, help="seconds per cell")
    parser.add_argument("--save-to", default=None)
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    all_ok = True
    for path in args.notebooks:
        report = run(path, args.kernel, args.timeout, args.save_to)
        all_ok = all_ok and report["ok"]
        print(json.dumps(report), flush=True)
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
