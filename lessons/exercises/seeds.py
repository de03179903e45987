"""How many seeds a check tries, unless told otherwise."""
SEEDS = range(20)
