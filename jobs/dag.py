"""Directed acyclic graphs of named nodes: checks, order, layers and neighbours.

The one DAG utility of the project: workflows (steps and their `depends_on`), the video
planner (media jobs) and the pipeline page all build a `Dag` from (name, dependencies) pairs.
Ties keep the order the nodes were given in, so orders and layers are deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


class DagError(ValueError):
    """A graph that cannot run: a duplicate name, a dependency on a missing node or a cycle.

    `problems` lists every reason; `cycle` names one cycle's nodes, each depending on the
    next and the last equal to the first (empty when the graph has none).
    """

    def __init__(self, problems: Sequence[str], cycle: Sequence[str] = ()) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        self.cycle = tuple(cycle)


Nodes = Iterable[tuple[str, Iterable[str]]]


class Dag:
    """A checked DAG; building one raises DagError naming every problem (a cycle by its path)."""

    def __init__(self, nodes: Nodes, *, noun: str = "node") -> None:
        pairs = [(name, tuple(deps)) for name, deps in nodes]
        problems: list[str] = []
        self._deps: dict[str, tuple[str, ...]] = {}
        for name, deps in pairs:
            if name in self._deps:
                problems.append(f"duplicate {noun} id {name}")
            self._deps[name] = deps
        for name, deps in pairs:
            problems.extend(
                f"{name} depends on missing {noun} {dep}" for dep in deps if dep not in self._deps
            )
        if problems:
            raise DagError(problems)
        cycle = find_cycle(self._deps)
        if cycle:
            raise DagError([f"cycle: {' -> '.join(cycle)}"], cycle)
        self._succ: dict[str, list[str]] = {name: [] for name in self._deps}
        for name, deps in self._deps.items():
            for dep in dict.fromkeys(deps):
                self._succ[dep].append(name)
        self.layers = _layers(self._deps)
        self.order = [name for layer in self.layers for name in layer]
        self.layer_of = {name: index for index, layer in enumerate(self.layers) for name in layer}

    def __contains__(self, name: object) -> bool:
        return name in self._deps

    def predecessors(self, name: str) -> tuple[str, ...]:
        """The nodes `name` depends on directly, in declared order, each once."""
        return tuple(dict.fromkeys(self._deps[name]))

    def successors(self, name: str) -> tuple[str, ...]:
        """The nodes that depend directly on `name`, in the order they were given."""
        return tuple(self._succ[name])

    def ancestors(self, name: str) -> set[str]:
        """Everything `name` waits for, directly or not."""
        return _reach(name, self._deps)

    def descendants(self, name: str) -> set[str]:
        """Everything that waits for `name`, directly or not."""
        return _reach(name, self._succ)


def problems(nodes: Nodes, *, noun: str = "node") -> list[str]:
    """Every reason the nodes do not form a DAG; empty when they do."""
    try:
        Dag(nodes, noun=noun)
    except DagError as error:
        return error.problems
    return []


def find_cycle(deps: dict[str, tuple[str, ...]]) -> list[str]:
    """One cycle as a path [a, b, ..., a] where each node depends on the next; [] if none.

    Dependencies on unknown nodes are ignored. Iterative, so deep graphs do not hit Python's
    recursion limit.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in deps:
        if root in state:
            continue
        path: list[str] = [root]
        pending: list[list[str]] = [[d for d in deps[root] if d in deps]]
        state[root] = 1
        while path:
            if not pending[-1]:
                state[path.pop()] = 2
                pending.pop()
                continue
            nxt = pending[-1].pop(0)
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append([d for d in deps[nxt] if d in deps])
    return []


def _layers(deps: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Waves of nodes that can run at once, each after the one before (Kahn, stable)."""
    done: set[str] = set()
    layers: list[list[str]] = []
    waiting = list(deps)
    while waiting:
        ready = [name for name in waiting if all(d in done for d in deps[name])]
        layers.append(ready)
        done.update(ready)
        waiting = [name for name in waiting if name not in done]
    return layers


def _reach(start: str, edges: dict[str, list[str]] | dict[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    stack = list(edges[start])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges[node])
    return seen
