"""The SDK builds as a wheel with its type marker, and depends on requests and PyNaCl only."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

SDK = Path(__file__).resolve().parents[2] / "sdk"


def test_a_wheel_builds_with_py_typed_and_two_runtime_dependencies(tmp_path):
    subprocess.run(  # noqa: S603 (our own interpreter and paths)
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            tmp_path,
            SDK,
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("kollega-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = Parser().parsestr(archive.read(next(n for n in names if n.endswith("METADATA"))).decode())
    assert "kollega/py.typed" in names
    assert "kollega/__init__.py" in names
    requirements = {
        r.split(">")[0].split("<")[0].split("=")[0].strip().lower()
        for r in metadata.get_all("Requires-Dist") or []
    }
    assert requirements == {"requests", "pynacl"}
    assert (SDK / "CHANGELOG.md").read_text().count(metadata["Version"]) >= 1
