"""The licences of open data as DCAT-AP.de names them (http://dcat-ap.de/def/licenses/<key>):
programme data chooses one by its key; the catalogue writer (plugins/web/opendata.py) uses it."""

# The DCAT-AP.de licences, each with whether it asks for attribution (Konvention 35: then
# dcatde:licenseAttributionByText MUST hold the text; it is written for any other licence too).
LICENCES = {
    "apache": False, "bsd": False, "cc-by": True, "cc-by/4.0": True, "cc-by-de/3.0": True,
    "cc-by-nc": True, "cc-by-nc/4.0": True, "cc-by-nc-de/3.0": True, "cc-by-nd": True,
    "cc-by-nd/3.0": True, "cc-by-nd/4.0": True, "cc-by-sa": True, "cc-by-sa/4.0": True,
    "cc-by-sa-de/3.0": True, "cc-zero": False, "ccpdm/1.0": False, "dl-by-de/1.0": True,
    "dl-by-de/2.0": True, "dl-by-nc-de/1.0": True, "dl-zero-de/2.0": False, "geonutz/20130319": False,
    "geoNutz/20131001": False, "gfdl": False, "gpl/3.0": False, "mozilla": False, "odbl": True,
    "odby": True, "odcpddl": False, "officialWork": False, "other-closed": False,
    "other-commercial": False, "other-freeware": False, "other-open": False, "other-opensource": False,
}
