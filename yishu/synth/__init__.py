"""Synthetic catalogs at any scale, with planted defects whose ground truth is known.

``generate(out, scale, seed)`` writes the 8 CSV files of the catalog template and
``defects.json`` (same format as the demo district's) into ``out``. Scale 1 ("district") is
≈60 departments, ≈400 systems, ≈3,000 resources, ≈21,000 items — about 300k triples once
loaded; "city" is ten times that. The output depends only on (scale, seed): the same arguments
give byte-identical files.

Shapes follow the demo district and the seed documents: base databases (人口, 法人, 电子证照, 信用,
自然资源和空间地理) run by each district's 数据局 are hubs that take items from authoritative source
resources (some returned from the province or the state, 回流); departmental resources take items
from the hubs, from sources or from other departmental resources; thematic resources combine several
departments; flows carry resources between departments through the platforms; requests follow the
supply-demand workflow; responsibilities produce resources and need elements.

Apart from the planted defects the data is clean at Violation and Warning level under
docs/audit-rules.md, so an audit can be held to precision and recall 1.0. CAT-001 and LIN-002
cannot be expressed in one template load (the loader refuses empty required cells and dangling
references) and are therefore not planted; Info rules are advice, not ground truth.

The package, one concern a module, each step a class built on the one before (one random stream
runs through them in a fixed order): ``pools`` (the name pools and tables: data), ``model`` (scales,
``SynthReport``, resources and items), ``state`` (the run's state and its draws),
``organisation`` (departments, systems), ``catalog`` (elements, resources, items, levels),
``exchange`` (responsibilities, requests, flows), ``defects`` (planting), ``write`` (rows,
``generate``).
"""

from yishu.synth.model import AS_OF, PENDING_DAYS, SCALES, ZOMBIE_DAYS, SynthReport, parse_scale
from yishu.synth.pools import (  # the name pools and tables, as before the split
    BASE_NAMES,
    BASE_SOURCE,
    BASES,
    BUREAUS,
    BUSINESS,
    CONDITIONS,
    CORE,
    DISTRICTS,
    FREQS,
    GIVEN,
    KINDS,
    LEGAL,
    LV,
    LV_NAME,
    METHODS,
    NONSHARE,
    NOUNS,
    PLAIN,
    REJECT,
    RESP_SUFFIX,
    RESP_TYPES,
    ROLE_BUSINESS,
    SCENARIOS,
    SURNAMES,
    TOWNS,
    ZONES,
)
from yishu.synth.write import HEADERS, UNFILLED, generate

__all__ = ["SCALES", "SynthReport", "parse_scale", "generate", "HEADERS", "UNFILLED", "AS_OF",
           "PENDING_DAYS", "ZOMBIE_DAYS", "DISTRICTS", "BUREAUS", "TOWNS", "ZONES", "SURNAMES",
           "GIVEN", "BUSINESS", "ROLE_BUSINESS", "RESP_SUFFIX", "NOUNS", "PLAIN", "KINDS",
           "SCENARIOS", "LEGAL", "REJECT", "CONDITIONS", "NONSHARE", "RESP_TYPES", "FREQS",
           "METHODS", "CORE", "BASES", "BASE_NAMES", "BASE_SOURCE", "LV_NAME", "LV"]
