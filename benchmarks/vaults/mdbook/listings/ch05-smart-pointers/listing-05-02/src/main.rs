use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug)]
struct Node {
    value: i32,
    children: Vec<Rc<RefCell<Node>>>,
}

fn main() {
    // ANCHOR: shared
    let leaf = Rc::new(RefCell::new(Node { value: 3, children: vec![] }));
    let branch = Rc::new(RefCell::new(Node {
        value: 5,
        children: vec![Rc::clone(&leaf)],
    }));

    leaf.borrow_mut().value += 10;
    println!("strong_count(leaf) = {}", Rc::strong_count(&leaf));
    // ANCHOR_END: shared
    println!("branch = {:?}", branch.borrow().value);
}
