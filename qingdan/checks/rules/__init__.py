"""One module per check. Every module here is imported by the registry: a new file is a new check."""
