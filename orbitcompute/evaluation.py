"""The outputs of :meth:`FeasibilityModel.evaluate <orbitcompute.feasibility.FeasibilityModel.evaluate>`:
a read-only mapping of output name -> array of draws (:class:`Evaluation`) whose names follow a
schema (:data:`OUTPUTS`: one row per output family, with its name pattern, unit and meaning).

The studies (tornado, Monte Carlo, Sobol, sweeps, design search) read the outputs by name, so
the result stays a mapping; the schema is where a name and its unit are defined (the units of
:meth:`FeasibilityModel.describe <orbitcompute.feasibility.FeasibilityModel.describe>` come from
it), and an unknown name fails at once with the close matches.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import InputError

__all__ = ["Evaluation", "OUTPUTS", "OutputFamily", "output_family"]

#: The placeholder of a per-region family's pattern (a region name: no colon).
REGION = "<region>"


@dataclass(frozen=True)
class OutputFamily:
    """One family of outputs of :meth:`~orbitcompute.feasibility.FeasibilityModel.evaluate`.

    Attributes
    ----------
    pattern : str
        The output name, with ``<region>`` standing for a region's name in a per-region family
        (e.g. ``"ratio:<region>"``).
    unit : str
        The unit of the values (pint syntax; ``""`` for a plain number or a fraction).
    meaning : str
        What the values are.
    """

    pattern: str
    unit: str
    meaning: str

    @property
    def per_region(self) -> bool:
        """Whether the family has one output per region."""
        return self.pattern.endswith(":" + REGION)

    @property
    def stem(self) -> str:
        """The pattern without its ``:<region>`` part."""
        return self.pattern[: -len(REGION) - 1] if self.per_region else self.pattern

    def matches(self, name: str) -> bool:
        """Whether output ``name`` belongs to this family (a region name has no colon)."""
        regex = re.escape(self.stem) + (r":[^:]+" if self.per_region else "")
        return re.fullmatch(regex, name) is not None


_O = "installed orbital cluster over the horizon"
_D = "orbital, per delivered unit when the links serve the region a fraction ``served:<region>``"
_T = "terrestrial, at the region's chosen cloud region"

#: The schema of :class:`Evaluation`: every output family of
#: :meth:`~orbitcompute.feasibility.FeasibilityModel.evaluate` (pattern, unit, meaning).
#: Costs are present values in USD over ``years``; every value has shape ``(n,)`` for ``n`` draws.
OUTPUTS: tuple[OutputFamily, ...] = (
    OutputFamily("orbital:accelerators", "", f"accelerators in the cluster ({_O})"),
    OutputFamily("orbital:hardware_usd", "USD", f"compute hardware, every satellite generation ({_O})"),
    OutputFamily("orbital:spacecraft_usd", "USD", f"spacecraft (non-compute dry mass) ({_O})"),
    OutputFamily("orbital:launch_usd", "USD", f"launches of every generation ({_O})"),
    OutputFamily("orbital:ground_usd", "USD", f"ground stations, capex and operations ({_O})"),
    OutputFamily("orbital:nre_usd", "USD", f"non-recurring engineering ({_O})"),
    OutputFamily("orbital:operations_usd", "USD", f"operations ({_O})"),
    OutputFamily("orbital:replacement_usd", "USD", f"replacement of failed accelerators ({_O})"),
    OutputFamily("orbital:total_usd", "USD", f"total cost ({_O})"),
    OutputFamily("orbital:accelerator_hours", "h", f"accelerator-hours of useful work, present value ({_O})"),
    OutputFamily("orbital:cost_per_accelerator_hour", "USD/h", f"cost per installed accelerator-hour ({_O})"),
    OutputFamily("orbital:cost_per_pflop_day", "USD/(PFLOP/s*day)", f"cost per PFLOP/s-day ({_O})"),
    OutputFamily("orbital:energy_cost_per_mwh", "USD/MWh",
                 f"all costs but the compute hardware per MWh of IT energy ({_O})"),
    OutputFamily("orbital:co2_kg_per_accelerator_hour", "kg/h", f"CO2 per accelerator-hour, undiscounted ({_O})"),
    OutputFamily("orbital:co2_kg", "kg", f"CO2 of launches and spacecraft manufacture ({_O})"),
    OutputFamily("orbital:launch_mass_kg", "kg", f"launch mass of one generation ({_O})"),
    OutputFamily("orbital:launched_mass_kg", "kg", f"mass launched over the horizon, replacements included ({_O})"),
    OutputFamily("orbital:launches", "", f"launches needed for the launched mass ({_O})"),
    OutputFamily("orbital:water_l", "L", f"water consumed (0) ({_O})"),
    OutputFamily("demand_gbps", "Gbit/s", "the workload's data rate in and out while it computes"),
    OutputFamily("served:<region>", "", "fraction of the workload's data the links carry for the region"),
    OutputFamily("capacity_gbps:<region>", "Gbit/s", "mean link capacity available to the region"),
    OutputFamily("orbital:cost_per_accelerator_hour:<region>", "USD/h", f"cost per accelerator-hour ({_D})"),
    OutputFamily("orbital:cost_per_pflop_day:<region>", "USD/(PFLOP/s*day)", f"cost per PFLOP/s-day ({_D})"),
    OutputFamily("orbital:energy_cost_per_mwh:<region>", "USD/MWh", f"non-hardware cost per MWh ({_D})"),
    OutputFamily("orbital:co2_kg_per_accelerator_hour:<region>", "kg/h", f"CO2 per accelerator-hour ({_D})"),
    OutputFamily("orbital:accelerator_hours:<region>", "h", f"accelerator-hours delivered ({_D})"),
    OutputFamily("terrestrial:cost_per_accelerator_hour:<region>", "USD/h", f"cost per accelerator-hour ({_T})"),
    OutputFamily("terrestrial:cost_per_pflop_day:<region>", "USD/(PFLOP/s*day)", f"cost per PFLOP/s-day ({_T})"),
    OutputFamily("terrestrial:co2_kg_per_accelerator_hour:<region>", "kg/h",
                 f"CO2 of the electricity per accelerator-hour ({_T})"),
    OutputFamily("terrestrial:energy_cost_per_mwh:<region>", "USD/MWh",
                 f"all costs but the compute hardware and its replacement per MWh of IT energy ({_T})"),
    OutputFamily("terrestrial:total_usd:<region>", "USD", f"total cost ({_T})"),
    OutputFamily("terrestrial:water_l:<region>", "L", f"water consumed over the horizon ({_T})"),
    OutputFamily("ratio:<region>", "",
                 "orbital / terrestrial cost per accelerator-hour delivered to the region (< 1: orbit is cheaper)"),
)

_EXACT = {f.pattern: f for f in OUTPUTS if not f.per_region}
_STEMS = {f.stem: f for f in OUTPUTS if f.per_region}


def output_family(name: str) -> OutputFamily:
    """The family of output ``name`` (:data:`OUTPUTS`).

    Raises
    ------
    InputError
        If ``name`` belongs to no family.

    Examples
    --------
    >>> output_family("ratio:Europe").unit, output_family("orbital:launch_usd").unit
    ('', 'USD')
    """
    fam = _EXACT.get(name)
    if fam is None:
        stem, sep, region = name.rpartition(":")
        fam = _STEMS.get(stem) if sep and region else None
    if fam is None:
        close = difflib.get_close_matches(name, [f.pattern for f in OUTPUTS], n=3, cutoff=0.6)
        raise InputError(f"output {name!r} belongs to no family of orbitcompute.evaluation.OUTPUTS"
                         + (f" (close: {', '.join(close)})" if close else "")
                         + "; name it after a family, or add a family (pattern, unit, meaning) to OUTPUTS")
    return fam


class Evaluation(dict):
    """The outputs of :meth:`FeasibilityModel.evaluate <orbitcompute.feasibility.FeasibilityModel.evaluate>`:
    a read-only mapping of output name -> ndarray of shape ``(n,)`` (one value per draw).

    A ``dict`` that cannot be changed: ``json``, ``dict(ev)``, ``pickle`` and comparisons work
    as on the plain dict of earlier releases; setting or deleting an item raises ``TypeError``;
    an unknown name raises ``KeyError`` naming the close matches.  Every name belongs to
    exactly one family of :data:`OUTPUTS` (checked when it is built), where its unit is
    (:meth:`unit`).  The families (``<region>``: each region's name):

    | name | unit | meaning |
    |---|---|---|
    | ``orbital:accelerators`` | - | accelerators in the cluster |
    | ``orbital:hardware_usd`` | USD | compute hardware |
    | ``orbital:spacecraft_usd`` | USD | spacecraft |
    | ``orbital:launch_usd`` | USD | launches |
    | ``orbital:ground_usd`` | USD | ground stations |
    | ``orbital:nre_usd`` | USD | engineering |
    | ``orbital:operations_usd`` | USD | operations |
    | ``orbital:replacement_usd`` | USD | failed accelerators |
    | ``orbital:total_usd`` | USD | total cost |
    | ``orbital:accelerator_hours`` | h | installed output |
    | ``orbital:cost_per_accelerator_hour`` | USD/h | installed cost per hour |
    | ``orbital:cost_per_pflop_day`` | USD/(PFLOP/s*day) | installed, per PFLOP/s-day |
    | ``orbital:energy_cost_per_mwh`` | USD/MWh | non-hardware cost per MWh |
    | ``orbital:co2_kg_per_accelerator_hour`` | kg/h | CO2 per hour |
    | ``orbital:co2_kg`` | kg | CO2 in total |
    | ``orbital:launch_mass_kg`` | kg | launch mass, one generation |
    | ``orbital:launched_mass_kg`` | kg | mass launched in total |
    | ``orbital:launches`` | - | launches |
    | ``orbital:water_l`` | L | water (0) |
    | ``demand_gbps`` | Gbit/s | the workload's data rate |
    | ``served:<region>`` | - | fraction the links carry |
    | ``capacity_gbps:<region>`` | Gbit/s | mean link capacity |
    | ``orbital:cost_per_accelerator_hour:<region>`` | USD/h | per delivered hour |
    | ``orbital:cost_per_pflop_day:<region>`` | USD/(PFLOP/s*day) | per delivered PFLOP/s-day |
    | ``orbital:energy_cost_per_mwh:<region>`` | USD/MWh | per delivered MWh |
    | ``orbital:co2_kg_per_accelerator_hour:<region>`` | kg/h | CO2 per delivered hour |
    | ``orbital:accelerator_hours:<region>`` | h | delivered output |
    | ``terrestrial:cost_per_accelerator_hour:<region>`` | USD/h | at the chosen site |
    | ``terrestrial:cost_per_pflop_day:<region>`` | USD/(PFLOP/s*day) | at the chosen site |
    | ``terrestrial:co2_kg_per_accelerator_hour:<region>`` | kg/h | at the chosen site |
    | ``terrestrial:energy_cost_per_mwh:<region>`` | USD/MWh | at the chosen site |
    | ``terrestrial:total_usd:<region>`` | USD | at the chosen site |
    | ``terrestrial:water_l:<region>`` | L | at the chosen site |
    | ``ratio:<region>`` | - | orbital / terrestrial cost |

    Parameters
    ----------
    data : mapping of str -> ndarray
        The outputs (copied; the arrays are not).

    Raises
    ------
    InputError
        If a name belongs to no family of :data:`OUTPUTS`.

    Examples
    --------
    >>> import numpy as np
    >>> ev = Evaluation({"demand_gbps": np.array([2.0]), "ratio:Europe": np.array([0.9])})
    >>> ev.unit("demand_gbps"), float(ev["ratio:Europe"][0])
    ('Gbit/s', 0.9)
    >>> ev["ratio:Europa"]
    Traceback (most recent call last):
    ...
    KeyError: "'ratio:Europa' is not an output; did you mean 'ratio:Europe'? (name patterns: orbitcompute.evaluation.OUTPUTS)"
    """

    __slots__ = ()

    def __init__(self, data: Mapping[str, Any] = (), /):
        super().__init__(data)
        for name in dict.keys(self):
            output_family(name)

    def __missing__(self, key):
        close = difflib.get_close_matches(str(key), list(dict.keys(self)), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise KeyError(f"{key!r} is not an output{hint} (name patterns: orbitcompute.evaluation.OUTPUTS)")

    def unit(self, name: str) -> str:
        """The unit of output ``name`` (its family's; ``""`` for a plain number)."""
        self[name]
        return output_family(name).unit

    def family(self, name: str) -> OutputFamily:
        """The :class:`OutputFamily` of output ``name``."""
        self[name]
        return output_family(name)

    def units(self) -> dict[str, str]:
        """Output name -> unit, for every output."""
        return {k: output_family(k).unit for k in dict.keys(self)}

    def _readonly(self, *args, **kwargs):
        raise TypeError("Evaluation is read-only: copy it with dict(ev) to change it")

    __setitem__ = __delitem__ = __ior__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly

    def copy(self) -> dict:
        """A plain, mutable ``dict`` of the outputs."""
        return dict(self)

    def __reduce__(self):
        return (Evaluation, (dict(self),))

