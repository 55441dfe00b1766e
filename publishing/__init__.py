"""Publishing approved deliverables to WordPress, YouTube and Instagram."""
