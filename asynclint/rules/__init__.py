"""One rule per module. The registry imports every module here and collects its `Rule` classes."""
