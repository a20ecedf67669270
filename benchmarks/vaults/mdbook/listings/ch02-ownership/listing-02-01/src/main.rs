fn main() {
    // ANCHOR: move
    let s1 = String::from("hello");
    let s2 = s1;

    // println!("{s1}, world!"); // error[E0382]: borrow of moved value: `s1`
    println!("{s2}, world!");
    // ANCHOR_END: move

    // ANCHOR: clone
    let a = String::from("bagu");
    let b = a.clone();
    println!("a = {a}, b = {b}");
    // ANCHOR_END: clone

    // ANCHOR: copy
    let x = 5;
    let y = x; // i32 实现了 Copy，x 仍然可用
    println!("x = {x}, y = {y}");
    // ANCHOR_END: copy
}
