"""The preview: the server, the watcher, the rebuild between saves, and the rehearsal of election night."""
