"""Small pieces of the caller card (Textual widgets); `fmt` is plain formatting."""
