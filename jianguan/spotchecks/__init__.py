"""双随机一公开: plans, tasks, verifiable draws, results and publication."""
