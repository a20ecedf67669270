use std::thread;
use std::time::Duration;

fn main() {
    // ANCHOR: spawn
    let handle = thread::spawn(|| {
        for i in 1..5 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });
    // ANCHOR_END: spawn

    for i in 1..3 {
        println!("hi number {i} from the main thread!");
        thread::sleep(Duration::from_millis(1));
    }

    // ANCHOR: join
    handle.join().unwrap();
    // ANCHOR_END: join
}
