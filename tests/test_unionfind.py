from hague.unionfind import UnionFind


def test_sets_join_and_the_smallest_member_represents_each() -> None:
    sets = UnionFind(["d", "c", "b", "a", "e"])
    sets.union("d", "b")
    sets.union_all(["c", "a", "d"])
    assert sets.find("d") == sets.find("c") == "a"
    assert sets.find("e") == "e"
    assert sets.groups() == [["d", "c", "b", "a"], ["e"]]


def test_unknown_members_join_on_first_use_and_order_of_joins_does_not_matter() -> None:
    one, two = UnionFind[int](), UnionFind[int]()
    for a, b in [(5, 3), (3, 9), (7, 8)]:
        one.union(a, b)
    for a, b in [(8, 7), (9, 5), (3, 9)]:
        two.union(a, b)
    assert {one.find(x) for x in (3, 5, 9)} == {two.find(x) for x in (3, 5, 9)} == {3}
    assert one.find(8) == two.find(8) == 7
    assert 4 not in one and list(one) == [5, 3, 9, 7, 8]
