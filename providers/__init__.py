"""The outside services Kairo calls with a user's own keys (Apify, OpenAI): what their
errors mean, in one vocabulary, for whoever asked — Settings' Test Connection (byok) or a
run (evidence collection, synthesis).

A package of its own, below every app (the import-linter layers in pyproject.toml):
`byok` and `evidence` may not import each other, yet both must classify Apify errors the
same way and say the same words about them. It imports nothing of Kairo.
"""
