"""Staff pages (``staff``) and a presenter's own pages (``presenter``)."""
