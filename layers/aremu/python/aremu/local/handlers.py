"""Load a function's handler from its code folder, the way the Lambda runtime does."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aremu.wiring import FunctionSpec

REPO_ROOT = Path(__file__).resolve().parents[5]

LambdaHandler = Callable[[dict[str, Any], Any], Any]


def load_handler(spec: FunctionSpec, repo_root: Path = REPO_ROOT) -> LambdaHandler:
    # Each function gets its own module name: two functions may both have "api.py".
    module_name = f"aremu_function_{spec.name.lower()}"
    module = sys.modules.get(module_name)
    if module is None:
        path = repo_root / spec.code_dir / f"{spec.module}.py"
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        if loader_spec is None or loader_spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        loader_spec.loader.exec_module(module)
    handler: LambdaHandler = getattr(module, spec.entry_point)
    return handler
