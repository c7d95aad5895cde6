"""The province's end of the weekly report (issue 16): packages imported, verified and summed."""
