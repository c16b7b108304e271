"""Forecasts: what a narrative promised (extract), kept in the store, checked when due."""
