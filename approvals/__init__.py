"""Approval requests, the safety and truth layer, review policy and owner oversight."""
