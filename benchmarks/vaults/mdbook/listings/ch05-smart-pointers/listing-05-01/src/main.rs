// ANCHOR: cons
enum List {
    Cons(i32, Box<List>),
    Nil,
}

use crate::List::{Cons, Nil};
// ANCHOR_END: cons

fn main() {
    // ANCHOR: build
    let list = Cons(1, Box::new(Cons(2, Box::new(Cons(3, Box::new(Nil))))));
    // ANCHOR_END: build
    if let Cons(head, _) = list {
        println!("head = {head}");
    }
}
