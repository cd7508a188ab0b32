"""Widgets: main window, entity pages, detail pane, charts, dialogs."""
