"""A running simulation and its features (scaling, autoscaling, replication, sharding, backups,
geo), whole runs, and warming the kernels.

The top layer: imports every other.
"""
