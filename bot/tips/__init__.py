"""Scheduled tips without Discord: parsing a schedule, finding its slots in a time zone,
deciding what is owed after downtime, and the rotation order. The Discord layer
(bot/features/tip_scheduler.py, bot/features/admin/tip_schedule.py) only posts and replies."""
