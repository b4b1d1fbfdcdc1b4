"""Suggesting replies from a buyer's message: words (segmentation, stemming, synonyms) and ranking."""
