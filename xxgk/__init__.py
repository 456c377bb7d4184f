"""The `xxgk` command: a thin layer over extract/, crawler/ and archive/."""
