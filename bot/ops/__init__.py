"""Running the bot in production: health, metrics, structured interaction logs."""
