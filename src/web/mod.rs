//! Browser glue (filled in with the page).
