"""The bench's queries column (scripts/bench.py, #11): the count most requests made, any
other with the number of requests that made it."""

from tests.benchscript import bench_module as _bench


def test_one_count_is_written_alone():
    assert _bench().query_counts([8] * 40) == "8"


def test_other_counts_follow_the_usual_one_with_how_many_made_them():
    counts = [11] * 36 + [12] * 3 + [13]
    assert _bench().query_counts(counts) == "11 (12 on 3, 13 on 1 of 40)"


def test_the_usual_count_is_the_most_frequent_not_the_smallest():
    assert _bench().query_counts([9, 10, 10, 10]) == "10 (9 on 1 of 4)"
    assert _bench().query_counts([10, 9]) == "9 (10 on 1 of 2)"  # a tie: the smaller
