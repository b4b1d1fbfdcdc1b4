"""Build step: copy the top-level resources/ folder into the wheel as quickreply/resources/.

The project keeps resources/ at the top of the repository; installed code finds it through
quickreply.core.library.paths.resources_dir(), which looks inside the package first.
Everything else about the build lives in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):
    """build_py that also copies resources/ under the built quickreply package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's resources/ directly
        target = Path(self.build_lib) / "quickreply" / "resources"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(RESOURCES, target, ignore=shutil.ignore_patterns("__pycache__"))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        """Return the built files, the copied resources included (the wheel's RECORD lists them)."""
        outputs: list[str] = super().get_outputs(include_bytecode)
        target = Path(self.build_lib) / "quickreply" / "resources"
        outputs += [str(target / f.relative_to(RESOURCES)) for f in _resource_files()]
        return outputs


def _resource_files() -> list[Path]:
    return sorted(p for p in RESOURCES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


setup(cmdclass={"build_py": BuildWithResources})
