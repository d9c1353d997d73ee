// Temporary placeholder so the package builds in the crypto worktree; BatonRedis lands from its own branch.
