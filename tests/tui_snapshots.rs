//! Render snapshots of every pane in its states, at 100×30 and 60×20.

mod tui_fixtures;

use tui_fixtures::*;

#[test]
fn peek() {
    let app = with_downloads();
    println!("{}", render(&app, 100, 30));
    println!("{}", render(&app, 60, 20));
}
