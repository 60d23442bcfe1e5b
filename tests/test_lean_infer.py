"""`infer` must install and import on a serving machine without train, datasets or scikit-learn."""

from __future__ import annotations

import subprocess
import sys

# The blocker hands out a spec whose loader fails, so probing (importlib.util.find_spec, which
# torch and transformers do for optional packages) still works but an actual import fails.
BLOCKER = """
import sys
import importlib.abc, importlib.machinery
BLOCKED = {'datasets', 'sklearn', 'train'}
class Loader(importlib.abc.Loader):
    def create_module(self, spec):
        raise ImportError(f'blocked: {spec.name}')
    def exec_module(self, module):
        raise ImportError('blocked')
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in BLOCKED:
            return importlib.machinery.ModuleSpec(name, Loader())
        return None
sys.meta_path.insert(0, Block())
import infer
from infer import Predictor, ClaimModel
import infer.cli, infer.predict, infer.segment
import infer.errors, infer.readers, infer.writers, infer.resume, infer.job
print('ok', sorted(m for m in sys.modules if m.split('.')[0] in {'datasets', 'sklearn', 'train'}))
"""


def test_import_infer_without_training_dependencies():
    out = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok []"
