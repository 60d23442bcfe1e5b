"""`infer` must install and import on a serving machine without train, datasets or scikit-learn."""

from __future__ import annotations

import subprocess
import sys

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'datasets', 'sklearn', 'train'}:
            raise ImportError(f'blocked: {name}')
sys.meta_path.insert(0, Block())
import infer
from infer import Predictor, ClaimModel
import infer.cli, infer.predict, infer.segment, infer.io
print('ok', sorted(m for m in sys.modules if m.split('.')[0] in {'datasets', 'sklearn', 'train'}))
"""


def test_import_infer_without_training_dependencies():
    out = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok []"
