"""Workloads: how many bits a unit of compute moves to and from its users.

A :class:`Workload` carries the data intensity of a compute job, in bits per FLOP of useful
(delivered) compute, split into the direction that reaches the cluster (``in``: prompts,
uploads, training data) and the direction that leaves it (``out``: answers, products), plus
the checkpoint traffic of a training run per accelerator-hour.  Link capacity divided by
this intensity is the compute a link can keep busy; in the closest peer tool (spacedc-mdao)
it is the single most decisive assumption (see ``docs/workloads.md``).

The named presets in :data:`WORKLOADS` are derived from published numbers; each preset's
``note`` shows the arithmetic and its ``low``/``high`` bracket the plausible range of the
total intensity:

``text_inference``
    Chat with a 70B-parameter model (Llama 2 70B, the MLPerf Inference v4.0 LLM): every
    token processed costs ``2 N`` FLOP (Kaplan et al. 2020); a token is ~4 characters of
    English (OpenAI and Google Gemini documentation); prompts are 4 tokens per generated
    token (rough estimate: system prompt and conversation history); answers are streamed
    one server-sent event (~200 bytes of JSON) per token::

        in  = 4 * 4 B * 8 / (5 * 2 * 70e9)   = 1.83e-10 bit/FLOP
        out = 200 B * 8   / (5 * 2 * 70e9)   = 2.29e-9  bit/FLOP      total 2.47e-9

    range: 3.95e-11 (raw text both ways, 405B model) to 5.1e-8 (8B model, one prompt token
    per streamed token).
``multimodal_inference``
    Video understanding: users upload 1080p video at YouTube's recommended 8 Mbps plus
    384 kbps stereo audio; the model reads 263 tokens per second of video (Gemini API
    token documentation) on a 7B-parameter vision-language model and streams ~100 tokens
    of answer per minute of video::

        FLOP/s of video = 263 * 2 * 7e9 + (100/60) * 2 * 7e9 = 3.7053e12
        in  = 8.384e6 / 3.7053e12 = 2.26e-6 bit/FLOP
        out = (100/60) * 200 B * 8 / 3.7053e12 = 7.2e-10 bit/FLOP

    range: 1.46e-7 (720p at 5 Mbps on a 70B model) to 1.23e-5 (4K at 45 Mbps on 7B).
``training``
    Pre-training like Llama 3 405B on 16,384 H100 at ~400 TFLOP/s each (Meta 2024, 38-43 %
    MFU): text data in at 3.94 characters per token and ``6 N`` FLOP per token; a checkpoint
    of 14 bytes per parameter (bf16 weights, fp32 master weights and two fp32 Adam moments)
    copied to the ground every 30 minutes::

        in  = 3.94 * 8 / (6 * 405e9) = 1.30e-11 bit/FLOP
        checkpoint = 405e9 * 14 B / 16384 * 2 per hour = 692 MB per accelerator-hour
                   = 6.92e8 * 8 / (400e12 * 3600) = 3.85e-9 bit/FLOP      total 3.86e-9

    range: 1.5e-11 (1 MB per GPU every 3 h, the paper's smallest shard) to 1.3e-7 (4 GB per
    GPU every 10 minutes, its largest).  Gradient exchange between accelerators stays inside
    the cluster and is not counted.
``batch``
    Earth-observation batch processing: Sentinel-2 Level-1C tiles (600 MB per 100 km x
    100 km, ESA) in, a one-byte-per-pixel class map out, through a ResNet-50-class network
    (3.8e9 multiply-adds per 224 x 224 pixels, He et al. 2016)::

        FLOP per 10 m pixel = 2 * 3.8e9 / 224**2 = 1.515e5
        in  = 600e6 * 8 / 1e8 pixels / 1.515e5 = 48 / 1.515e5 = 3.17e-4 bit/FLOP
        out = 8 / 1.515e5 = 5.28e-5 bit/FLOP

    range: 2.3e-5 (a ViT-L/16-class model) to 4.7e-3 (MobileNetV2-class).  Tolerant of
    delay (``latency_class="batch"``).  Sentinel-2 produces ~1.6 TB of compressed raw data
    a day, which this network digests with only ~0.47 TFLOP/s: EO processing is the most
    data-hungry preset, so it belongs in orbit only when the data is already there
    (``input_in_orbit=True``, set with :func:`dataclasses.replace`).
``peer_text_inference``, ``peer_multimodal_inference``
    The peer tool's own figures, 1e-8 and 2e-6 bit/FLOP moved off the satellite
    (spacedc-mdao 0.4.2, ``src/orbitdc/data/workloads.yaml``), for side-by-side runs of its
    1 MW text and multimodal cases.

References
----------
Kaplan, J. et al. (2020), "Scaling laws for neural language models", arXiv:2001.08361
(forward pass ~2N FLOP per token, training ~6N).
Touvron, H. et al. (2023), "Llama 2: open foundation and fine-tuned chat models",
arXiv:2307.09288; MLCommons (2024), MLPerf Inference v4.0 (Llama 2 70B benchmark),
https://mlcommons.org/benchmarks/inference-datacenter/.
OpenAI, "What are tokens and how to count them?" (1 token ~ 4 characters of English),
https://help.openai.com/; Google, "Understand and count tokens", Gemini API documentation,
https://ai.google.dev/gemini-api/docs/tokens (a token ~ 4 characters; video 263 tokens/s,
audio 32 tokens/s).
Google, "YouTube recommended upload encoding settings",
https://support.google.com/youtube/answer/1722171 (1080p 8 Mbps, 720p 5 Mbps, 2160p
35-45 Mbps at 24-30 fps; stereo audio 384 kbps).
Llama Team, Meta (2024), "The Llama 3 herd of models", arXiv:2407.21783 (16,384 H100,
380-430 TFLOP/s per GPU, 3.94 characters per token, checkpoints of 1 MB to 4 GB per GPU,
419 unexpected interruptions in 54 days).
Rajbhandari, S. et al. (2020), "ZeRO: memory optimizations toward training trillion
parameter models", SC20, doi:10.1109/SC41405.2020.00024 (16 bytes of model state per
parameter in mixed-precision Adam, of which 2 are gradients).
ESA, "Sentinel-2 MSI product types", https://sentinel.esa.int/web/sentinel/user-guides/
sentinel-2-msi/product-types (Level-1C 600 MB per 100 x 100 km tile).
He, K. et al. (2016), "Deep residual learning for image recognition", CVPR,
doi:10.1109/CVPR.2016.90 (ResNet-50: 3.8e9 multiply-adds at 224 x 224).
Hodge, J. (2026), spacedc-mdao 0.4.2, https://github.com/jman4162/spacedc-mdao
(``llm_inference`` 1e-8, ``multimodal_inference`` 2e-6 bit/FLOP).

Examples
--------
>>> import orbitcompute as oc
>>> from orbitcompute.workload import WORKLOADS, demand_bps, workload
>>> text = WORKLOADS["text_inference"]
>>> f"{text.bits_per_flop:.3g}"
'2.47e-09'
>>> f"{demand_bps(text, 4.357e17) / 1e9:.3g}"          # Gbit/s for ~1 MW of H100 at peer derates
'1.08'
>>> round(float(text.data_per_accelerator_hour(989 * oc.u.TFLOPS, 0.4).m_as("MB")), 1)
439.5
>>> workload("multimodal_inference").latency_class
'interactive'
"""

from __future__ import annotations

import difflib
import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

from .errors import InputError
from .provenance import Assumption
from .units import Quantity, magnitude

__all__ = ["LATENCY_CLASSES", "WORKLOADS", "Workload", "demand_bps", "workload"]

#: ``"interactive"``: a request must be served while the user waits (no buffering across a
#: link outage); ``"batch"``: work can wait for the next contact and be buffered.
LATENCY_CLASSES = ("interactive", "batch")

_DIRECTIONS = ("in", "out", "total")
_S_PER_HOUR = 3600.0


@dataclass(frozen=True)
class Workload:
    """Data intensity of a compute workload, with provenance.

    Parameters
    ----------
    name : str
        Identifier, e.g. ``"text_inference"``.
    description : str
        One line for reports.
    bits_per_flop_in : float
        Data reaching the cluster per FLOP of useful compute [bit/FLOP] (prompts, uploads,
        training data).
    bits_per_flop_out : float
        Data leaving the cluster per FLOP of useful compute [bit/FLOP] (answers, products),
        not counting checkpoints.
    latency_class : {"interactive", "batch"}
        Whether the work can wait for the next contact and be buffered (``"batch"``).
    checkpoint_bytes_per_accelerator_hour : float
        Outbound checkpoint traffic per accelerator-hour of training [byte]; 0 otherwise.
    reference_accelerator_flops : float
        Useful (delivered) FLOP/s of one accelerator [FLOP/s] at which the checkpoint
        traffic is expressed per FLOP in :attr:`bits_per_flop`.
    source : str
        Where the figures come from.
    year : int or None
        Year of the source.
    low, high : float or None
        Plausible range of the total :attr:`bits_per_flop` [bit/FLOP].
    note : str
        The derivation, with its arithmetic.
    input_in_orbit : bool
        True when the input originates in orbit (sensor satellites) and reaches the cluster
        over inter-satellite links rather than the ground uplink.

    Examples
    --------
    >>> from orbitcompute.workload import Workload
    >>> w = Workload("logs", "log analytics", 1e-6, 1e-8, "batch", source="rough estimate", year=2026)
    >>> f"{w.bits_per_flop:.3g}"
    '1.01e-06'
    """

    name: str
    description: str
    bits_per_flop_in: float
    bits_per_flop_out: float
    latency_class: str = "interactive"
    checkpoint_bytes_per_accelerator_hour: float = 0.0
    reference_accelerator_flops: float = 400e12
    source: str = ""
    year: int | None = None
    low: float | None = None
    high: float | None = None
    note: str = ""
    input_in_orbit: bool = False

    def __post_init__(self):
        for field in ("bits_per_flop_in", "bits_per_flop_out", "checkpoint_bytes_per_accelerator_hour"):
            value = getattr(self, field)
            if isinstance(value, pint.Quantity) or not _finite_nonneg(value):
                raise InputError(f"workload {self.name!r}: {field} = {value!r} must be a finite number >= 0 "
                                 f"(a plain float: bit/FLOP, or byte for the checkpoint traffic)")
            object.__setattr__(self, field, float(value))
        if not (_finite_nonneg(self.reference_accelerator_flops) and self.reference_accelerator_flops > 0):
            raise InputError(f"workload {self.name!r}: reference_accelerator_flops = "
                             f"{self.reference_accelerator_flops!r} must be a finite number > 0 [FLOP/s], "
                             f"e.g. 400e12 for an H100 at 40 % MFU")
        if self.latency_class not in LATENCY_CLASSES:
            raise InputError(f"workload {self.name!r}: latency_class = {self.latency_class!r} is not known; "
                             f"use one of {LATENCY_CLASSES}")
        total = self.bits_per_flop
        for field in ("low", "high"):
            value = getattr(self, field)
            if value is not None and not _finite_nonneg(value):
                raise InputError(f"workload {self.name!r}: {field} = {value!r} must be a finite number >= 0 "
                                 f"[bit/FLOP] or None")
        if self.low is not None and self.high is not None and not self.low <= total <= self.high:
            raise InputError(f"workload {self.name!r}: the range low = {self.low:g}, high = {self.high:g} "
                             f"bit/FLOP must contain the total {total:g}; widen the range or fix the figures")

    @property
    def checkpoint_bits_per_flop(self) -> float:
        """Checkpoint traffic per FLOP at :attr:`reference_accelerator_flops` [bit/FLOP]."""
        return self.checkpoint_bytes_per_accelerator_hour * 8.0 / (self.reference_accelerator_flops * _S_PER_HOUR)

    @property
    def bits_per_flop(self) -> float:
        """Total data intensity, in + out + checkpoints [bit/FLOP] (the primary figure)."""
        return self.bits_per_flop_in + self.bits_per_flop_out + self.checkpoint_bits_per_flop

    def data_per_accelerator_hour(self, accelerator_flops: Any, utilization: float = 1.0,
                                  direction: str = "total") -> pint.Quantity:
        """Data moved per accelerator-hour on one accelerator.

        Parameters
        ----------
        accelerator_flops : Quantity
            Peak throughput of one accelerator [FLOP/s], e.g. ``989 * u.TFLOPS``;
            scalar or array.
        utilization : float or array_like
            Fraction of the peak delivered as useful model FLOP (MFU times busy fraction)
            [-], in [0, 1].
        direction : {"total", "in", "out"}
            Which traffic to count; checkpoints are outbound and are added per
            accelerator-hour without scaling by ``utilization``.

        Returns
        -------
        Quantity
            Bytes per accelerator-hour [byte], broadcast shape of the inputs.

        Examples
        --------
        >>> import orbitcompute as oc
        >>> w = oc.WORKLOADS["peer_text_inference"]
        >>> float(w.data_per_accelerator_hour(1e15 * oc.u.FLOPS, 0.5).m_as("GB"))
        2.25
        """
        flops = magnitude(accelerator_flops, "FLOP/s", "accelerator_flops")
        util = _fraction(utilization, "utilization")
        per_flop, ckpt = self._parts(direction)
        data = per_flop * flops * util * _S_PER_HOUR / 8.0 + ckpt
        return Quantity(np.asarray(data, dtype=np.float64), "byte")

    def demand(self, compute: Any, direction: str = "total") -> pint.Quantity:
        """Data rate needed to keep ``compute`` of useful throughput busy [bit/s].

        Parameters
        ----------
        compute : Quantity
            Useful (delivered) compute [FLOP/s], scalar or array.
        direction : {"total", "in", "out"}
            Which traffic to count.

        Returns
        -------
        Quantity
            Data rate [bit/s], shape of ``compute``.

        Examples
        --------
        >>> import orbitcompute as oc
        >>> float(oc.WORKLOADS["peer_multimodal_inference"].demand(1e17 * oc.u.FLOPS).m_as("Gbit/s"))
        200.0
        """
        return Quantity(demand_bps(self, magnitude(compute, "FLOP/s", "compute"), direction=direction), "bit/s")

    def to_assumption(self) -> Assumption:
        """The total intensity as an :class:`~orbitcompute.provenance.Assumption` (for
        sensitivity studies), with this workload's range and provenance.

        Examples
        --------
        >>> import orbitcompute as oc
        >>> oc.WORKLOADS["peer_text_inference"].to_assumption().describe()
        'bits_per_flop = 1e-08 bit/FLOP (range 1e-09-5e-06)'
        """
        return Assumption("bits_per_flop", self.bits_per_flop, "bit/FLOP", source=self.source, year=self.year,
                          low=self.low, high=self.high, note=f"workload {self.name}: {self.note}")

    def _parts(self, direction: str, accelerator_flops: float | None = None) -> tuple[float, float]:
        """(streamed bits per FLOP, checkpoint bytes per accelerator-hour) for a direction."""
        if direction not in _DIRECTIONS:
            raise InputError(f"direction = {direction!r} is not known; use one of {_DIRECTIONS}")
        per_flop = {"in": self.bits_per_flop_in, "out": self.bits_per_flop_out,
                    "total": self.bits_per_flop_in + self.bits_per_flop_out}[direction]
        ckpt = 0.0 if direction == "in" else self.checkpoint_bytes_per_accelerator_hour
        return per_flop, ckpt


def _finite_nonneg(value: Any) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(v) and v >= 0.0


def _fraction(value: Any, name: str) -> np.ndarray:
    if isinstance(value, pint.Quantity):
        value = magnitude(value, "dimensionless", name)
    arr = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0) or np.any(arr > 1.0):
        raise InputError(f"{name} = {value!r} must lie in [0, 1] (a fraction of peak throughput, e.g. 0.4)")
    return arr


def demand_bps(workload: Workload | str, flops_per_s: Any, *, direction: str = "total",
               accelerator_flops: float | None = None) -> np.ndarray:
    """Data rate a workload needs to keep a given useful throughput busy [bit/s].

    ``D = (b_in + b_out) C + n_acc K 8 / 3600`` with ``C`` the useful compute [FLOP/s],
    ``b`` the intensities [bit/FLOP], ``K`` the checkpoint bytes per accelerator-hour and
    ``n_acc = C / accelerator_flops`` the accelerators doing the work.

    Parameters
    ----------
    workload : Workload or str
        A workload or the name of a preset in :data:`WORKLOADS`.
    flops_per_s : array_like or Quantity
        Useful (delivered) compute [FLOP/s], any shape.
    direction : {"total", "in", "out"}
        Which traffic to count (checkpoints are outbound).
    accelerator_flops : float, optional
        Useful FLOP/s of one accelerator [FLOP/s], which sets how many accelerators carry
        the checkpoint traffic; default the workload's ``reference_accelerator_flops``.

    Returns
    -------
    numpy.ndarray
        Data rate [bit/s], float64, shape of ``flops_per_s``.

    Examples
    --------
    >>> from orbitcompute.workload import demand_bps
    >>> (demand_bps("peer_multimodal_inference", [1e17, 4.3567e17]) / 1e9).round(2).tolist()
    [200.0, 871.34]
    """
    w = _resolve(workload)
    if isinstance(flops_per_s, pint.Quantity):
        flops = magnitude(flops_per_s, "FLOP/s", "flops_per_s")
    else:
        flops = np.asarray(flops_per_s, dtype=np.float64)
    if not np.all(np.isfinite(flops)) or np.any(flops < 0.0):
        raise InputError(f"flops_per_s = {flops_per_s!r} must be finite and >= 0 [FLOP/s], e.g. 4.4e17 for "
                         f"~1 MW of H100 at 40 % of peak")
    acc = np.asarray(w.reference_accelerator_flops if accelerator_flops is None else accelerator_flops, np.float64)
    if not (np.all(np.isfinite(acc)) and np.all(acc > 0.0)):
        raise InputError(f"accelerator_flops = {accelerator_flops!r} must be finite and > 0 [FLOP/s]")
    per_flop, ckpt = w._parts(direction)
    return flops * (per_flop + ckpt * 8.0 / (acc * _S_PER_HOUR))


# --------------------------------------------------------------------------- presets
# Published inputs of each derivation (module docstring and docs/workloads.md show the sums).

def _text_inference() -> Workload:
    n_params = 70e9               # Llama 2 70B (MLPerf Inference v4.0 LLM benchmark)
    flop_per_token = 2.0 * n_params   # Kaplan et al. 2020: forward pass ~2N FLOP per token
    text_bytes = 4.0              # ~4 characters per token of English (OpenAI, Gemini docs)
    stream_bytes = 200.0          # one server-sent-event JSON chunk per streamed token (rough)
    prompt_per_output = 4.0       # prompt tokens per generated token (rough: history + system prompt)
    flop = (prompt_per_output + 1.0) * flop_per_token
    b_in = prompt_per_output * text_bytes * 8.0 / flop
    b_out = stream_bytes * 8.0 / flop
    low = text_bytes * 8.0 / (2.0 * 405e9)                           # raw text both ways, 405B model
    high = (text_bytes * 8.0 + stream_bytes * 8.0) / (2.0 * 2.0 * 8e9)  # 8B model, 1 prompt token per output
    return Workload(
        "text_inference", "LLM chat: text prompts in, streamed text answers out (70B-parameter model)",
        b_in, b_out, "interactive",
        source="derived: 2N FLOP/token (Kaplan et al. 2020), Llama 2 70B (MLPerf Inference v4.0), "
               "~4 characters/token (OpenAI and Gemini docs); 200 B per streamed token and 4 prompt tokens "
               "per generated token are rough engineering estimates",
        year=2024, low=low, high=high,
        note=f"in = 4 x 4 B x 8 / (5 x 2 x 70e9) = {b_in:.3g}; out = 200 B x 8 / (5 x 2 x 70e9) = {b_out:.3g} "
             f"bit/FLOP; range {low:.3g} (raw text, 405B) to {high:.3g} (8B, streamed, 1:1 prompt)")


def _multimodal_inference() -> Workload:
    video_bps = 8e6 + 384e3       # YouTube: 1080p at 24-30 fps 8 Mbps; stereo audio 384 kbps
    tokens_per_s = 263.0          # Gemini API docs: video at 263 tokens per second
    n_params = 7e9                # a 7B-parameter vision-language model
    answer_tokens_per_s = 100.0 / 60.0   # ~100 answer tokens per minute of video (rough)
    stream_bytes = 200.0          # as text_inference
    flop_per_s = (tokens_per_s + answer_tokens_per_s) * 2.0 * n_params
    b_in = video_bps / flop_per_s
    b_out = answer_tokens_per_s * stream_bytes * 8.0 / flop_per_s
    low = (5e6 + 384e3) / (tokens_per_s * 2.0 * 70e9)     # 720p at 5 Mbps, 70B model
    high = (45e6 + 384e3) / (tokens_per_s * 2.0 * n_params)   # 2160p at 45 Mbps, 7B model
    return Workload(
        "multimodal_inference", "video understanding: 1080p video uploaded, text answers out (7B VLM)",
        b_in, b_out, "interactive",
        source="derived: YouTube recommended upload bitrates (support.google.com/youtube/answer/1722171), "
               "Gemini API token docs (263 tokens per second of video), 2N FLOP/token (Kaplan et al. 2020); "
               "model size and answer length are rough estimates; peer tool spacedc-mdao uses 2e-6",
        year=2025, low=low, high=high,
        note=f"FLOP/s = (263 + 100/60) x 2 x 7e9 = {flop_per_s:.5g}; in = 8.384e6 / that = {b_in:.3g}; "
             f"out = (100/60) x 200 B x 8 / that = {b_out:.3g} bit/FLOP; range {low:.3g} (720p, 70B) to "
             f"{high:.3g} (4K, 7B)")


def _training() -> Workload:
    n_params = 405e9              # Llama 3 405B (Meta 2024)
    n_gpu = 16384.0               # H100 GPUs of the 405B run
    gpu_flops = 400e12            # 380-430 TFLOP/s per GPU (BF16 MFU 38-43 %)
    chars_per_token = 3.94        # Llama 3 tokenizer on English
    ckpt_bytes_per_param = 14.0   # bf16 weights 2 + fp32 master 4 + Adam m 4 + v 4 (ZeRO counts 16 with grads)
    ckpt_per_hour = 2.0           # one checkpoint every 30 minutes (rough; see note)
    b_in = chars_per_token * 8.0 / (6.0 * n_params)          # 6N FLOP per training token
    ckpt = n_params * ckpt_bytes_per_param / n_gpu * ckpt_per_hour
    hour_flop = gpu_flops * _S_PER_HOUR
    low = b_in + 1e6 / 3.0 * 8.0 / hour_flop          # 1 MB per GPU every 3 h
    high = b_in + 4e9 * 6.0 * 8.0 / hour_flop         # 4 GB per GPU every 10 min
    w = Workload(
        "training", "LLM pre-training: text data in, checkpoints copied to the ground",
        b_in, 0.0, "batch", checkpoint_bytes_per_accelerator_hour=ckpt, reference_accelerator_flops=gpu_flops,
        source="derived: Llama 3 herd of models (Meta 2024: 405B, 16,384 H100 at 380-430 TFLOP/s, 3.94 "
               "characters/token, 1 MB-4 GB checkpoint per GPU), 6N FLOP/token (Kaplan et al. 2020), "
               "ZeRO model-state bytes (Rajbhandari et al. 2020); the 30-minute interval is a rough estimate",
        year=2024, low=low, high=high,
        note=f"in = 3.94 x 8 / (6 x 405e9) = {b_in:.3g} bit/FLOP; checkpoint = 405e9 x 14 B / 16384 x 2/h = "
             f"{ckpt:.4g} B per accelerator-hour = {ckpt * 8.0 / hour_flop:.3g} bit/FLOP at 400 TFLOP/s; "
             f"range {low:.3g} (1 MB/GPU every 3 h) to {high:.3g} (4 GB/GPU every 10 min). Young's interval "
             "sqrt(2 x 60 s x 3.09 h) ~ 19 min for Llama 3's 419 unexpected interruptions in 54 days and a "
             "1-minute write, inside the 10 min-3 h range. Gradient traffic stays inside the cluster")
    return w


def _batch() -> Workload:
    tile_bytes = 600e6            # Sentinel-2 Level-1C, 100 km x 100 km tile (ESA)
    pixels = (100e3 / 10.0) ** 2  # 10 m pixels in a tile
    bits_per_pixel_in = tile_bytes * 8.0 / pixels
    bits_per_pixel_out = 8.0      # a one-byte class map per 10 m pixel
    flop_per_pixel = 2.0 * 3.8e9 / 224.0**2      # ResNet-50: 3.8e9 multiply-adds per 224 x 224 (He et al. 2016)
    b_in = bits_per_pixel_in / flop_per_pixel
    b_out = bits_per_pixel_out / flop_per_pixel
    total_px = bits_per_pixel_in + bits_per_pixel_out
    low = total_px / (2.0 * 61.6e9 / 224.0**2)   # ViT-L/16: ~61.6e9 multiply-adds per 224 x 224
    high = total_px / (2.0 * 0.30e9 / 224.0**2)  # MobileNetV2: 300e6 multiply-adds (Sandler et al. 2018)
    return Workload(
        "batch", "earth-observation batch processing: Sentinel-2 L1C tiles in, class maps out",
        b_in, b_out, "batch",
        source="derived: ESA Sentinel-2 MSI product types (L1C 600 MB per 100 x 100 km tile), ResNet-50 "
               "multiply-adds (He et al. 2016); range from ViT-L/16 (Dosovitskiy et al. 2021) and MobileNetV2 "
               "(Sandler et al. 2018) multiply-adds",
        year=2016, low=low, high=high,
        note=f"{bits_per_pixel_in:g} bit per 10 m pixel in, 8 out; FLOP/pixel = 2 x 3.8e9 / 224^2 = "
             f"{flop_per_pixel:.4g}; in = {b_in:.3g}, out = {b_out:.3g} bit/FLOP; range {low:.3g} (ViT-L/16) "
             f"to {high:.3g} (MobileNetV2). Sentinel-2's ~1.6 TB/day keeps only ~0.47 TFLOP/s busy: set "
             "input_in_orbit=True when the imagery comes from sensors in orbit")


def _peer(name: str, out: float, what: str, derivation: str) -> Workload:
    return Workload(
        f"peer_{name}", f"spacedc-mdao's {what} case: {out:g} bit/FLOP moved off the satellite",
        0.0, out, "interactive",
        source=f"spacedc-mdao 0.4.2 (Hodge 2026), src/orbitdc/data/workloads.yaml ({derivation})",
        year=2026, low=1e-9, high=5e-6,
        note="the peer counts only bits leaving the satellite; its tornado/Sobol range is 1e-9 to 5e-6. "
             "Its 1 MW cases cost 5,389 / 1,237 = 4.357x because 200 Gbps carries only 7.5e16 FLOP/s at 2e-6 "
             "(see docs/workloads.md)")


WORKLOADS: Mapping[str, Workload] = types.MappingProxyType({
    w.name: w for w in (
        _text_inference(), _multimodal_inference(), _training(), _batch(),
        _peer("text_inference", 1e-8, "text-inference",
              "llm_inference: 32 bits/token / (2 N_params) ~2e-9 at 8B, raised for protocol overhead"),
        _peer("multimodal_inference", 2e-6, "multimodal-inference",
              "multimodal_inference: a 4096-dim fp16 embedding, 65,536 bit per ~1.4e10-FLOP pass ~5e-6"),
    )
})
"""Named workload presets (read-only), see the module docstring for each derivation."""


def workload(name: Workload | str) -> Workload:
    """Look up a preset of :data:`WORKLOADS` by name (a :class:`Workload` passes through).

    Parameters
    ----------
    name : str or Workload
        Preset name; case, spaces and hyphens are forgiven (``"Text-Inference"``).

    Returns
    -------
    Workload

    Raises
    ------
    InputError
        For an unknown name; the message suggests the closest preset and lists them all.

    Examples
    --------
    >>> from orbitcompute.workload import workload
    >>> workload("Text-Inference").name
    'text_inference'
    """
    return _resolve(name)


def _resolve(name: Workload | str) -> Workload:
    if isinstance(name, Workload):
        return name
    if not isinstance(name, str):
        raise InputError(f"workload = {name!r} must be a preset name (str) or a Workload; "
                         f"valid names: {', '.join(WORKLOADS)}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in WORKLOADS:
        return WORKLOADS[key]
    close = difflib.get_close_matches(key, list(WORKLOADS), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InputError(f"workload preset {name!r} is not known; {hint}valid names: {', '.join(WORKLOADS)}")
