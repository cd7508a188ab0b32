"""Icons and the stylesheet, installed as the package faceledger.resources."""
