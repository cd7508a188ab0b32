"""Qt adapters over the data layer (no SQL here)."""
