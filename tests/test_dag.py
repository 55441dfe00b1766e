"""The one DAG utility: order, layers, neighbours, and problems named for a person."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobs.dag import Dag, DagError, find_cycle, problems

DIAMOND = [
    ("brief", ()),
    ("script", ("brief",)),
    ("stills", ("brief",)),
    ("cut", ("script", "stills")),
]


def test_it_orders_layers_and_knows_neighbours():
    dag = Dag(DIAMOND)
    assert dag.order == ["brief", "script", "stills", "cut"]
    assert dag.layers == [["brief"], ["script", "stills"], ["cut"]]
    assert dag.layer_of["cut"] == 2
    assert dag.predecessors("cut") == ("script", "stills")
    assert dag.successors("brief") == ("script", "stills")
    assert dag.ancestors("cut") == {"brief", "script", "stills"}
    assert dag.descendants("script") == {"cut"}
    assert "brief" in dag and "nothing" not in dag


def test_ties_keep_the_given_order():
    assert Dag([("b", ()), ("a", ()), ("c", ("b",))]).order == ["b", "a", "c"]


def test_a_cycle_is_named_by_its_path():
    with pytest.raises(DagError) as caught:
        Dag([("brief", ("cut",)), *DIAMOND[1:]], noun="step")
    assert str(caught.value) in (
        "cycle: brief -> cut -> script -> brief",
        "cycle: brief -> cut -> stills -> brief",
    )
    assert caught.value.cycle[0] == caught.value.cycle[-1] == "brief"


def test_a_self_dependency_is_a_cycle():
    assert problems([("a", ("a",))]) == ["cycle: a -> a"]


def test_every_duplicate_and_missing_dependency_is_reported():
    found = problems([("a", ("x", "y")), ("a", ())], noun="step")
    assert found == [
        "duplicate step id a",
        "a depends on missing step x",
        "a depends on missing step y",
    ]
    assert problems(DIAMOND) == []


def test_a_long_chain_does_not_hit_the_recursion_limit():
    chain = [("n0", ())] + [(f"n{i}", (f"n{i - 1}",)) for i in range(1, 5000)]
    assert Dag(chain).order[-1] == "n4999"
    assert find_cycle({"n0": ("n4999",), **{k: tuple(v) for k, v in chain[1:]}})[0] == "n0"


@st.composite
def acyclic_graphs(draw: st.DrawFn) -> list[tuple[str, tuple[str, ...]]]:
    """A random DAG: nodes in a random order, each depending only on nodes drawn before it."""
    size = draw(st.integers(min_value=1, max_value=25))
    names = draw(st.permutations([f"n{i}" for i in range(size)]))
    nodes = []
    for index, name in enumerate(names):
        deps = draw(st.lists(st.sampled_from(names[:index]), max_size=4)) if index else []
        nodes.append((name, tuple(deps)))
    shuffled = draw(st.permutations(nodes))
    return list(shuffled)


@settings(max_examples=200, deadline=None)
@given(acyclic_graphs())
def test_the_order_and_the_layers_respect_every_edge(nodes):
    dag = Dag(nodes)
    position = {name: index for index, name in enumerate(dag.order)}
    assert sorted(dag.order) == sorted(name for name, _ in nodes)
    for name, deps in nodes:
        for dep in deps:
            assert position[dep] < position[name]
            assert dag.layer_of[dep] < dag.layer_of[name]
            assert name in dag.successors(dep) and dep in dag.predecessors(name)


@settings(max_examples=200, deadline=None)
@given(acyclic_graphs(), st.data())
def test_a_cycle_is_always_reported_with_real_edges(nodes, data):
    dag = Dag(nodes)
    # Make some node depend on one of its descendants (or itself): that closes a cycle.
    name = data.draw(st.sampled_from(dag.order))
    target = data.draw(st.sampled_from(sorted(dag.descendants(name) | {name})))
    broken = [(n, (*deps, target) if n == name else deps) for n, deps in nodes]
    with pytest.raises(DagError) as caught:
        Dag(broken)
    cycle = caught.value.cycle
    assert len(cycle) >= 2 and cycle[0] == cycle[-1]
    edges = {(n, d) for n, deps in broken for d in deps}
    assert all((a, b) in edges for a, b in zip(cycle, cycle[1:], strict=False))
    assert str(caught.value).startswith("cycle: ")
