"""Dining philosophers on the course's primitives, runtimes and wait-for analysis.

    import dining
    result = dining.run(philosophers=5, strategy="naive", meals=3, runtime="sim", seed=0)
    result.outcome, result.cycle, result.stuck, result.meals, result.trace

Strategies, each a small variant of the same table: naive, ordered, waiter, trylock,
chandy-misra (dining/strategies.py).
"""
from .dinner import Dinner, Result, run
from .strategies import STRATEGIES
from .table import build_runtime, build_table

__all__ = ["Dinner", "Result", "run", "STRATEGIES", "build_runtime", "build_table"]
