"""The one comparison: yours against a reference, the tolerance rule, and how an error prints."""

from __future__ import annotations

import math

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance, format_error

TOL = Tolerance("test", rtol=1e-6, atol=1e-9)


def test_numbers_pass_within_atol_plus_rtol_times_the_reference():
    assert Comparison.of(1.0 + 5e-7, 1.0, TOL).passed  # 5e-7 ≤ 1e-9 + 1e-6
    assert not Comparison.of(1.0 + 2e-6, 1.0, TOL).passed
    near_zero = Comparison.of(5e-10, 0.0, TOL)
    assert near_zero.passed and near_zero.rel_error == math.inf and near_zero.abs_error == 5e-10


def test_arrays_compare_normwise():
    c = Comparison.of(np.array([1.0, 0.0, 3.0]), np.array([1.0, 1e-3, 4.0]), TOL)
    assert (c.abs_error, c.scale, c.rel_error, c.passed) == (1.0, 4.0, 0.25, False)
    assert Comparison.of(np.zeros(3), np.zeros(3), TOL).rel_error == 0.0


def test_a_nan_or_inf_of_yours_is_never_within_tolerance():
    assert not Comparison.of(np.array([1.0, math.nan]), np.array([1.0, 2.0]), TOL)
    assert not Comparison.of(math.inf, math.inf, TOL)


def test_an_error_within_its_bound_prints_as_the_bound_so_reports_match_on_every_machine():
    assert format_error(3.2e-17, 1e-14) == format_error(8.9e-16, 1e-14) == "≤ 1e-14"
    assert format_error(2.5e-3, 1e-4) == "2.50e-03"
    assert format_error(math.nan, 1e-4) == "nan"
    assert Comparison.of(1.0 + 1e-12, 1.0, TOL).error_cells() == ("≤ 1e-09", "≤ 1e-06")
    assert Comparison.of(1.1, 1.0, TOL).error_cells() == ("1.00e-01", "1.00e-01")
