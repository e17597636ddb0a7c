"""Application services: the use cases (ingest, replay, case handling) over rules, feed and storage.

Qt-free; the views call them on worker threads.
"""
