"""Importers for the third-party datasets in db/external/.

Each importer is a function ``run(coll, external_dir)`` that reads the raw files of one dataset,
derives the rows FaceLedger uses, registers the dataset (licence, attribution) and adds records
to the collection, resolving organisations through names and aliases.

Order matters for resolution (each importer sees the curated records and the earlier importers'):
1. federal_inventory: named US agencies and a few named vendors, with careful, reviewed aliases
   ("CBP", "ICE", "FBI", ...), so that later datasets resolve to them;
2. aiaaic: deployers/developers resolve to the curated records and the federal ones; what is left
   becomes new records with proper names ("NtechLab", "Paravision", ...);
3. aiid: after AIAAIC, because an AI Incident Database incident that FaceLedger already records (curated or
   AIAAIC) becomes a source of that event; its deployer/developer slugs resolve to the records above;
4. nist_frvt: last, because its reviewed prefix map links NIST's squashed developer prefixes
   ("ntechlab", "everai-paravision") to those properly named records; only unmapped prefixes become
   "nist-<prefix>" records. Run first, it would create lower-case prefix records that AIAAIC names
   would then collide with.
"""

from __future__ import annotations

from collections.abc import Callable

from db.importers import aiaaic, aiid, federal_inventory, nist_frvt

IMPORTERS: list[Callable[..., None]] = [federal_inventory.run, aiaaic.run, aiid.run, nist_frvt.run]
