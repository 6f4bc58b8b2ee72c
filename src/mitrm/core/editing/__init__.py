"""Editing: changes to items as text, keeping the user's formatting, comments and order.

``edits`` parses and applies ``FIELD=VALUE`` edits, ``drafting`` writes new
items, ``yamltext`` writes YAML scalars and blocks, ``splice`` puts a new value
into the original text at its place.
"""
