"""PNG figures of the evaluation report: confusion matrices and reliability diagrams."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and CI
import matplotlib.pyplot as plt
import numpy as np


def confusion_png(matrix: list[list[int]], labels: list[str], path: Path, title: str) -> Path:
    """Counts in each cell; colour by row share, so rare gold classes are as readable as common."""
    counts = np.asarray(matrix, dtype=float)
    share = counts / np.clip(counts.sum(axis=1, keepdims=True), 1, None)
    size = 1.6 + 0.55 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    for (r, c), n in np.ndenumerate(counts):
        if n:
            ax.text(c, r, f"{int(n)}", ha="center", va="center", fontsize=8,
                    color="white" if share[r, c] > 0.6 else "black")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="share of gold row")
    return _save(fig, path)


def reliability_png(bins_raw: list[dict], bins_cal: list[dict], path: Path, title: str,
                    temperature: float) -> Path:
    """Accuracy against confidence per bin, before and after temperature scaling; the diagonal
    is perfect calibration and points below it are over-confident."""
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(5, 6), sharex=True,
                                   gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect")
    for bins, name, marker in ((bins_raw, "T = 1", "o"), (bins_cal, f"T = {temperature:.2f}", "s")):
        used = [b for b in bins if b["count"]]
        ax.plot([b["confidence"] for b in used], [b["accuracy"] for b in used], marker=marker,
                label=name)
    ax.set_ylabel("accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper left")
    mids = [(b["lo"] + b["hi"]) / 2 for b in bins_cal]
    hist.bar(mids, [b["count"] for b in bins_cal], width=bins_cal[0]["hi"] - bins_cal[0]["lo"],
             color="tab:orange", alpha=0.7)
    hist.set_xlabel(f"confidence (T = {temperature:.2f})")
    hist.set_ylabel("rows")
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
