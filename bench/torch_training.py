"""What every PyTorch twin of a burn workload shares: the optimiser settings, the random images,
and the training step with the parameters it trains (bench/pytorch_bench.py, bench/pytorch_lectures.py).
"""

import torch

LEARNING_RATE = 1e-3
ADAM_EPSILON = 1e-8
SEED = 0


def adam(module, betas=(0.9, 0.999), eps=ADAM_EPSILON):
    """Adam at lr 1e-3 (shared::bench::LEARNING_RATE); epsilon 1e-8 unless the burn side differs."""
    return torch.optim.Adam(module.parameters(), lr=LEARNING_RATE, betas=betas, eps=eps)


def pixels(*shape):
    """Images uniform in [-1, 1): zero-mean like burn's (shared::bench::inputs::PIXELS), so no ReLU
    units die on the fixed batch and Adam's moments never decay into slow subnormal floats."""
    return torch.rand(*shape) * 2 - 1


def trainable_params(*modules):
    """The number of parameters an optimiser updates (frozen ones, requires_grad False, excluded)."""
    return sum(p.numel() for m in modules for p in m.parameters() if p.requires_grad)


class Step:
    """A workload's training step (call it: returns the loss as a float) and the number of
    parameters it trains, to compare with burn's `num_params()`."""

    def __init__(self, step, *modules):
        self.step = step
        self.num_params = trainable_params(*modules)

    def __call__(self):
        return self.step()


def train_step(model, optimiser, loss_fn):
    """One step: forward + loss (loss_fn), backward, Adam; returns the loss as a float."""

    def step():
        loss = loss_fn(model)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        return loss.item()

    return Step(step, model)
