"""The results file the bench scripts write, a line per measurement
("name value"), read back: every value of each name, and their medians."""
import statistics


def read(path):
    """Returns (values, medians): name → list of values, name → median."""
    values = {}
    for line in open(path):
        name, x = line.split()
        values.setdefault(name, []).append(float(x))
    return values, {k: statistics.median(x) for k, x in values.items()}
