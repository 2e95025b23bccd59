"""What the archiver keeps beside the posts: state (SQLite), the post index, WARC files,
the run lock and atomic file writes."""
