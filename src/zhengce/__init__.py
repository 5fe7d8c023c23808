"""zhengce (政策): Chinese policy documents as structured, searchable, matchable knowledge."""
__version__ = "0.1.0"
