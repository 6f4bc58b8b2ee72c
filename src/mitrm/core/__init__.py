"""Pure logic: models, rules, scoring, history and rendering context (no CLI, no git)."""
