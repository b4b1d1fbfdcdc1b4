"""Finding snippets as the agent types: the in-memory search index (substring, pinyin,
initials, fuzzy) and the pinyin readings it uses. Pure Python; imports core.library only.
"""
