"""The I/O edge: reading input files, writing a build whole, and where the embedded data lives.

Nothing here knows what the figures mean: these modules read bytes and text
with errors that name the file and line, write outputs atomically, and render
templates with autoescaping. Every other stage may use them.
"""
