"""The Qt-free data core: opening the database, records, repositories, search, stats, CSV."""
