"""Application services: the only place that joins storage, core and interchange."""
