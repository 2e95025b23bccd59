"""The post layer: the post format (file name, front matter, body), every safety rule
of a post, and the HTML-to-Markdown conversion. Pure: settings values are passed in."""
