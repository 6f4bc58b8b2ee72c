"""The edges: YAML files, discovery, caches, git and atomic writes."""
