"""What every window part shares: start-up fixes, resources, fonts, themes, settings, messages."""
