"""Optical and RF link budgets and ground-station weather (work in progress).

Kernels on float64 SI arrays live in :mod:`orbitcompute._linkbudget` and are re-exported
here; the unit-aware API follows.
"""

from __future__ import annotations

from ._linkbudget import (
    air_mass_si,
    expected_min_served_si,
    ground_optical_loss_db,
    optical_rate_si,
    optical_rx_power_si,
    rain_loss_db,
    rf_budget_si,
    rf_rate_si,
    site_diversity_availability_si,
    weather_states_si,
)

__all__ = [
    "optical_rx_power_si",
    "optical_rate_si",
    "ground_optical_loss_db",
    "air_mass_si",
    "rf_budget_si",
    "rf_rate_si",
    "rain_loss_db",
    "site_diversity_availability_si",
    "weather_states_si",
    "expected_min_served_si",
]
