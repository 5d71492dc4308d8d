"""What DQN and PPO set up identically before their loops: device, seeds, input width."""
from __future__ import annotations

import numpy as np


def start_run(seed: int, env=None, logged=None):
    """(accelerator, rng, feature width) for a run on `env` or on `logged` episodes."""
    import torch
    from accelerate import Accelerator

    from bot.features import SCALARS

    if logged is not None and not any(logged):
        raise ValueError("the replay buffer has no logged turns to learn from")
    accelerator = Accelerator(cpu=not torch.cuda.is_available())
    if accelerator.device.type == "cpu":
        torch.set_num_threads(1)  # small matmuls: extra threads only contend (20x slower on a busy 2-core box)
    rng = np.random.default_rng(seed + accelerator.process_index)
    torch.manual_seed(seed)
    dim = logged[0][0]["x"].shape[1] if logged is not None else env.features.dim * 3 + len(SCALARS)
    return accelerator, rng, dim
