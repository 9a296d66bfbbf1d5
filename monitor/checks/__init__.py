"""The checks: pure functions from records and facts to ``FindingState`` lists.

One module per finding kind; none of them touches storage, the network or the clock
(``now`` is an argument).
"""
