from .glue import register as register
