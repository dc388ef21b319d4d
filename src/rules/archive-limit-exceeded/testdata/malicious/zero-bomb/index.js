// Entry point of the bomb fixture: the payload is the archive itself.
