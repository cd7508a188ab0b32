"""Build tooling for the FaceLedger database (not part of the installed app)."""
