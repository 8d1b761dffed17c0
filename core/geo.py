"""Positions on the earth: the distance between two points and how a check-in is judged.

Pure functions, free of the database, so each is tested as a table. Positions are WGS-84
degrees, as the browser's Geolocation API gives them.
"""

import math

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)

# Location statuses of a check-in (branches.models.Visit.LocationStatus has the labels).
OK = "ok"
FAR = "far"
LOW_ACCURACY = "low_accuracy"
NO_LOCATION = "no_location"
BRANCH_UNLOCATED = "branch_unlocated"


def haversine_m(lat1, lon1, lat2, lon2):
    """The great-circle distance in metres between two points given in degrees.

    The haversine formula: accurate to about 0.5 % (the earth is not a sphere), far better
    than any phone's position.
    """
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def valid_position(latitude, longitude):
    """Both given, latitude within ±90 and longitude within ±180 degrees."""
    if latitude is None or longitude is None:
        return False
    return -90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180


def judge_checkin(*, position, accuracy_m, branch_position, radius_m, max_accuracy_m):
    """(status, distance in whole metres or None) of a check-in.

    ``position`` and ``branch_position`` are (latitude, longitude) pairs or None. Rules, in
    order: no position → no location; the branch has no coordinates → branch unlocated (no
    distance); farther than ``radius_m`` → far; a position less precise than
    ``max_accuracy_m`` (or of unknown accuracy) → low accuracy; else ok. A far check-in is
    reported as far whatever its accuracy: that is what the supervisor must look at.
    """
    if position is None:
        return NO_LOCATION, None
    if branch_position is None:
        return BRANCH_UNLOCATED, None
    distance = round(haversine_m(*position, *branch_position))
    if distance > radius_m:
        return FAR, distance
    if accuracy_m is None or accuracy_m > max_accuracy_m:
        return LOW_ACCURACY, distance
    return OK, distance
