"""Temperature scaling (Guo et al., 2017): one scalar per task that makes softmax scores honest.

Fitted on validation logits after training; it changes scores, never the predicted label.
"""

from __future__ import annotations

import numpy as np
import torch


def fit_temperature(logits: np.ndarray, labels: np.ndarray, max_iter: int = 200) -> float:
    """The temperature T > 0 minimising the NLL of softmax(logits / T) on the given labels."""
    keep = labels >= 0
    if keep.sum() == 0:
        return 1.0
    z = torch.as_tensor(logits[keep], dtype=torch.float64)
    y = torch.as_tensor(labels[keep], dtype=torch.long)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)  # T = exp(log_t) stays positive
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(z / log_t.exp(), y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(np.clip(log_t.exp().item(), 0.05, 20.0))
