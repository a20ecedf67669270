use std::time::Duration;

// ANCHOR: fetch
async fn fetch(id: u32) -> String {
    tokio::time::sleep(Duration::from_millis(10 * id as u64)).await;
    format!("response #{id}")
}
// ANCHOR_END: fetch

#[tokio::main]
async fn main() {
    // ANCHOR: join
    let (a, b) = tokio::join!(fetch(1), fetch(2));
    println!("{a} / {b}");
    // ANCHOR_END: join
}
