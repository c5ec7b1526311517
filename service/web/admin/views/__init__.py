"""The dashboard's pages, one module per section; each section has its CSV export too."""
