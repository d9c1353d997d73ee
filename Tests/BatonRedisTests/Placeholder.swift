// Temporary placeholder so the package builds in the crypto worktree; BatonRedisTests land from their own branch.
