"""FaceLedger: an offline reference on face recognition sold to law enforcement."""

__version__ = "0.1.0"
