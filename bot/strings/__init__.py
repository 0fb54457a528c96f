"""Per-feature string tables; bot.i18n merges them so every string lives in one lookup."""
