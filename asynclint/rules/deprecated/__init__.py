"""3xx: deprecated and removed asyncio APIs, and the migration onto today's asyncio."""
