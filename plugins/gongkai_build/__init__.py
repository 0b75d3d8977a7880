"""The build machinery: how a build runs, not what it decides.

The read cache (`readcache`), the page keys (`pagekeys`), linking unchanged output files from the
previous output (`outfiles`), the record of the last complete build and the fast rebuild
(`record`, `fastrebuild`), the progress line (`progress`), and the typed `Build` object that one
run of Pelican carries (`build`). The domain rules are in `gongkai_core`, which imports nothing
from here; the Pelican glue and the commands use both.
"""
