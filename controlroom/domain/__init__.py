"""Pure domain rules of the customs monitoring SOPs: no I/O, no Qt, no database."""
