"""What DQN and PPO set up identically before their loops: device, seeds, input width."""
from __future__ import annotations

import numpy as np


def start_run(seed: int, env=None, logged=None):
    """(accelerator, rng, feature width) for a run on `env` or on `logged` episodes."""
    import torch
    from accelerate import Accelerator

    from bot.selection.features import SCALARS

    if logged is not None and not any(logged):
        raise ValueError("the replay buffer has no logged turns to learn from")
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    if accelerator.device.type == "cpu":
        torch.set_num_threads(1)  # small matmuls: extra threads only contend (20x slower on a busy 2-core box)
    rng = np.random.default_rng(seed + accelerator.process_index)
    torch.manual_seed(seed)
    dim = logged[0][0]["x"].shape[1] if logged is not None else env.features.dim * 3 + len(SCALARS)
    return accelerator, rng, dim


def trained_net(accelerator, net):
    """The trained network as its callers use it (serving, evaluation, saving, the tests): on the CPU and without the
    mixed-precision forward wrapper accelerate adds when an earlier Trainer in this process chose bf16. On a GPU the
    net otherwise stays on cuda and a CPU input fails with "Expected all tensors to be on the same device"."""
    return accelerator.unwrap_model(net, keep_fp32_wrapper=False).cpu()


def scaling_rows(env=None, logged=None, rng=None, episodes: int = 32) -> np.ndarray:
    """Candidate feature rows to measure the scalars' spreads on (SelectionNet.fit_scale): every logged turn's,
    or those of `episodes` simulated conversations with uniformly random replies (before any learning)."""
    if logged is not None:
        return np.concatenate([turn["x"] for episode in logged for turn in episode])
    rows = []
    for _ in range(episodes):
        obs = env.reset()
        while obs is not None:
            rows.append(obs.features)
            obs = env.step(int(rng.integers(len(obs.candidates))))[0]
    return np.concatenate(rows)


def polyak_update(averaged, trained, decay: float) -> None:
    """averaged <- decay * averaged + (1 - decay) * trained (weights); buffers are copied."""
    import torch

    with torch.no_grad():
        for avg, weight in zip(averaged.parameters(), trained.parameters()):
            avg.lerp_(weight, 1 - decay)
        for avg, buffer in zip(averaged.buffers(), trained.buffers()):
            avg.copy_(buffer)
