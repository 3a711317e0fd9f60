"""The one comparison: yours against a reference, the tolerance rule, and how an error prints."""

from __future__ import annotations

import math

import numpy as np

from autograd_tiny.comparison import Comparison, Tolerance, worst

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


def test_a_failing_comparison_prints_its_errors_with_three_digits():
    assert Comparison.of(1.1, 1.0, TOL).error_cells() == ("1.00e-01", "1.00e-01")
    assert Comparison.of(2.5e-3, 0.0, TOL).error_cells() == ("2.50e-03", "inf")
    assert Comparison.of(math.nan, 1.0, TOL).error_cells() == ("inf", "inf")  # a nan of yours is as wrong as can be


def test_a_passing_comparison_prints_its_errors_as_bounds_never_as_digits():
    """Within both bounds each error is "≤ its bound"; where the other term carried the verdict it is
    "> its bound", never its digits (rounding noise) nor inf; a reference zero to within atol has "—"."""
    for noise in (3.2e-17, 8.9e-16):
        assert Comparison.of(1.0 + noise, 1.0, TOL).error_cells() == ("≤ 1e-09", "≤ 1e-06")
    large = Comparison.of(1e8 + 30.0, 1e8, TOL)  # abs 30 > atol, rel 3e-7 ≤ rtol: passes on the relative term
    assert large.passed and large.error_cells() == ("> 1e-09", "≤ 1e-06")
    near_zero = Comparison.of(1.6e-148, 0.0, TOL)  # rel inf, abs ≤ atol: passes on the absolute term
    assert near_zero.passed and near_zero.error_cells() == ("≤ 1e-09", "—")  # no relative error to read
    for yours, reference in ((0.0, 0.0), (6.9e-18, 0.0), (0.0, 6.9e-18), (1e-12, 2e-12)):  # 0/0, 1, inf, 0.5
        assert Comparison.of(yours, reference, TOL).error_cells() == near_zero.error_cells()  # on every machine
    both = Comparison.of(1e-3 + 1.5e-9, 1e-3, TOL)  # 1.5e-9 ≤ 1e-9 + 1e-6·1e-3, though beyond each term alone
    assert both.passed and both.error_cells() == ("> 1e-09", "> 1e-06")


def test_gradcheck_prints_no_noise_for_a_large_gradient_within_its_relative_tolerance():
    import autograd_tiny as at

    row = str(at.gradcheck(lambda x: (x**3).exp(), [2.5])).splitlines()[2]
    assert row.split() == ["x0", "1.1451e+08", "1.1451e+08", ">", "1e-05", "≤", "1e-04", "ok"]


def test_a_passing_comparisons_numbers_print_to_the_digit_of_its_bound():
    """Digits below the bound are noise: two references that differ only there print the same."""
    tol = Tolerance("gradcheck", rtol=1e-4, atol=1e-5)  # bound ≈ 1e-5 + 1e-4 · 0.39 ≈ 4.9e-5: digits to 1e-5
    a, b = Comparison.of(0.3945214932, 0.3945214933, tol), Comparison.of(0.3945214932, 0.3945214931, tol)
    assert a.value_cells() == b.value_cells() == ("0.39452", "0.39452")
    assert Comparison.of(1.6e-148, 0.0, tol).value_cells() == ("0", "0")
    assert Comparison.of(1.0 + 5e-4, 1.0, tol).value_cells() == ("1.0005", "1")  # failing: ten digits
    assert Comparison.of(0.0173450210, 0.982013791, tol).value_cells() == ("0.017345021", "0.982013791")


def test_the_worst_comparison_is_the_one_that_uses_most_of_its_tolerance():
    ok = [Comparison.of(1.0 + 5e-7, 1.0, TOL), Comparison.of(1e-10, 0.0, TOL)]
    assert worst(ok) is ok[0]  # 5e-7 of a 1.001e-6 bound against 1e-10 of 1e-9
    failing = Comparison.of(1.0 + 2e-6, 1.0, TOL)
    assert worst([*ok, failing]) is failing and not worst([*ok, failing])


def test_gradgradcheck_names_its_own_tolerance():
    import autograd_tiny as at

    result = at.gradgradcheck(lambda x, y: x * x * y, [1.5, -0.5])
    assert {e.comparison.tolerance.name for e in result.entries} == {"gradgradcheck"}
    assert {e.comparison.tolerance.name for e in at.gradcheck(lambda x: x * x, [1.5]).entries} == {"gradcheck"}


def test_a_bound_that_is_not_a_power_of_ten_prints_as_given():
    """rtol 1.5e-4 is "≤ 1.5e-04", never rounded to a bound it is not ("≤ 1e-04" would be false for 1.2e-4)."""
    tolerance = Tolerance("test", rtol=1.5e-4, atol=2.5e-6)
    assert Comparison.of(1.0 + 1.2e-4, 1.0, tolerance).error_cells() == ("> 2.5e-06", "≤ 1.5e-04")
    assert Comparison.of(1.0 + 2e-6, 1.0, tolerance).error_cells() == ("≤ 2.5e-06", "≤ 1.5e-04")
